# The kernels and what they stand on; a later chapter adds its files here.
KERNELS="matrix.c rng.c base.c"
LIBS=-lm
${CC:-cc} -std=c11 -O3 -march=native -ffp-contract=fast -Wall -Wextra -Wpedantic \
    -o lstm-kernels lstm-kernels.c kcheck.c textbook.c prog.c $KERNELS $LIBS
