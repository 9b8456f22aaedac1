/* tests/fuzz/exit_hook.h — for the options harness only: prog.c is compiled
 * with -include this file and -Dexit=fuzz_exit, so that die() and
 * usage_error() come back to the harness instead of ending the process. */
_Noreturn void fuzz_exit(int status);
