# The kernels and what they stand on; a later chapter adds its files here.
KERNELS="matrix.c rng.c base.c"
LIBS=-lm
KERNELS="$KERNELS tiled.c vecmath.c pool.c"
LIBS="$LIBS -lpthread"
KERNELS="$KERNELS embed.c words.c"
${CC:-cc} -std=c11 -O3 -march=native -ffp-contract=fast -Wall -Wextra -Wpedantic \
    -o lstm-kernels lstm-kernels.c kcheck.c textbook.c prog.c $KERNELS $LIBS
${CC:-cc} -std=c11 -O3 -march=native -ffp-contract=fast -Wall -Wextra -Wpedantic \
    -o lstm-cell lstm-cell.c cell.c prog.c $KERNELS $LIBS
${CC:-cc} -std=c11 -O3 -march=native -ffp-contract=fast -Wall -Wextra -Wpedantic \
    -o lstm-eval lstm-eval.c cell.c model.c net.c text.c binio.c modelfile.c prog.c \
    $KERNELS $LIBS
${CC:-cc} -std=c11 -O3 -march=native -ffp-contract=fast -Wall -Wextra -Wpedantic \
    -o lstm-grad lstm-grad.c gradcheck.c backprop.c net.c model.c cell.c text.c binio.c \
    modelfile.c prog.c $KERNELS $LIBS
${CC:-cc} -std=c11 -O3 -march=native -ffp-contract=fast -Wall -Wextra -Wpedantic \
    -o lstm-train lstm-train.c train.c runfolder.c checkpoint.c optim.c data.c plot.c backprop.c \
    net.c model.c cell.c text.c binio.c modelfile.c prog.c $KERNELS $LIBS
${CC:-cc} -std=c11 -O3 -march=native -ffp-contract=fast -Wall -Wextra -Wpedantic \
    -o lstm-plot lstm-plot.c plot.c binio.c prog.c base.c -lm
${CC:-cc} -std=c11 -O3 -march=native -ffp-contract=fast -Wall -Wextra -Wpedantic \
    -o lstm-sample lstm-sample.c sample.c net.c model.c cell.c text.c binio.c modelfile.c \
    prog.c $KERNELS $LIBS
${CC:-cc} -std=c11 -O3 -march=native -ffp-contract=fast -Wall -Wextra -Wpedantic \
    -o lstm-inspect lstm-inspect.c inspect.c data.c net.c model.c cell.c text.c binio.c \
    modelfile.c prog.c $KERNELS $LIBS
${CC:-cc} -std=c11 -O3 -march=native -ffp-contract=fast -Wall -Wextra -Wpedantic \
    -o lstm-bench lstm-bench.c sample.c backprop.c optim.c net.c model.c \
    cell.c text.c binio.c prog.c $KERNELS $LIBS
