${CC:-cc} -std=c11 -O3 -march=native -ffp-contract=fast -Wall -Wextra -Wpedantic \
    -o lstm-kernels lstm-kernels.c matrix.c rng.c textbook.c prog.c base.c -lm
${CC:-cc} -std=c11 -O3 -march=native -ffp-contract=fast -Wall -Wextra -Wpedantic \
    -o lstm-cell lstm-cell.c cell.c matrix.c rng.c prog.c base.c -lm
${CC:-cc} -std=c11 -O3 -march=native -ffp-contract=fast -Wall -Wextra -Wpedantic \
    -o lstm-eval lstm-eval.c cell.c model.c net.c text.c binio.c matrix.c rng.c prog.c base.c -lm
${CC:-cc} -std=c11 -O3 -march=native -ffp-contract=fast -Wall -Wextra -Wpedantic \
    -o lstm-grad lstm-grad.c gradcheck.c backprop.c net.c model.c cell.c text.c binio.c \
    matrix.c rng.c prog.c base.c -lm
${CC:-cc} -std=c11 -O3 -march=native -ffp-contract=fast -Wall -Wextra -Wpedantic \
    -o lstm-train lstm-train.c checkpoint.c optim.c data.c plot.c backprop.c net.c model.c \
    cell.c text.c binio.c matrix.c rng.c prog.c base.c -lm
${CC:-cc} -std=c11 -O3 -march=native -ffp-contract=fast -Wall -Wextra -Wpedantic \
    -o lstm-plot lstm-plot.c plot.c binio.c prog.c base.c -lm
