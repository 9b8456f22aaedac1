${CC:-cc} -std=c11 -O3 -march=native -ffp-contract=fast -Wall -Wextra -Wpedantic \
    -o lstm-kernels lstm-kernels.c matrix.c rng.c textbook.c prog.c base.c -lm
${CC:-cc} -std=c11 -O3 -march=native -ffp-contract=fast -Wall -Wextra -Wpedantic \
    -o lstm-cell lstm-cell.c cell.c matrix.c rng.c prog.c base.c -lm
