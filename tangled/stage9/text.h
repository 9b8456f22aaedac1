#line 395 "chapters/B1-text.nw"
/* text.h — UTF-8 text as code points, and the vocabulary of a text. */
#ifndef TEXT_H
#define TEXT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint32_t *cp;     /* n code points */
    size_t n;
    size_t byte0;     /* the offset in its file of cp[0] (3 after a byte order mark) */
} Text;
enum { TEXT_MAX_BYTES = 256 << 20 };                 /* the largest text read: 256 MiB */
typedef struct {
    int size;         /* tokens */
    uint32_t *cp;     /* size code points, increasing: token k is the character cp[k] */
    /* ⟨the parts later chapters add to a vocabulary⟩ */
    /* ⟨the parts later chapters add to a vocabulary⟩, continued in 09-words.nw */
    #line 518 "chapters/09-words.nw"
    int words;            /* chapter 9: the last `words` tokens are words, not characters */
    uint32_t *word_at;    /* words + 1 offsets: word j is word_cp[word_at[j] .. word_at[j + 1]) */
    uint32_t *word_cp;
#line 412 "chapters/B1-text.nw"
} Vocab;

/* Decode n bytes of UTF-8 into out (room for n code points), at most max
   code points of them (0: all); return how many there are, or (size_t)-1
   with *bad the offset of the first bad byte sequence and *why what is
   wrong with it. */
size_t utf8_decode(const unsigned char *s, size_t n, size_t max, uint32_t *out,
                   size_t *bad, const char **why);
int utf8_encode(uint32_t c, char out[4]);   /* returns the bytes written, 1 to 4 */
enum { TOKEN_BYTES_MAX = 128 };             /* the UTF-8 of a token: 4 bytes; of chapter 9's words, 128 */
int token_utf8(const Vocab *v, int k, char out[TOKEN_BYTES_MAX]);   /* token k's UTF-8; its length */

/* Read a file of UTF-8 text, its first max_chars characters (0: all of it,
   at most TEXT_MAX_BYTES), leaving out a byte order mark at its start;
   false with a message in why if it is missing, a directory, unreadable,
   empty, too large or not UTF-8. */
bool text_read(const char *path, size_t max_chars, Text *t, char *why, size_t whylen);
void text_free(Text *t);

Vocab vocab_of(const uint32_t *cp, size_t n);  /* the sorted distinct code points */
int   vocab_find(const Vocab *v, uint32_t c);  /* c's token, or -1 */
void  vocab_free(Vocab *v);

/* tokens[] (room for t->n) gets the token of each character; a character
   not in v is an error that says where it is, or, if skip_unknown, is left
   out with a warning.  *count is the number of tokens written. */
bool text_tokens(const Text *t, const Vocab *v, bool skip_unknown, int *tokens,
                 size_t *count, char *why, size_t whylen);

enum { CHAR_NAME_MAX = 48 };
/* "'a' (U+0061)", "newline (U+000A)": a character, named for a message. */
const char *char_name(uint32_t c, char buf[CHAR_NAME_MAX]);
/* Warn that the text called source (a file name) puts control characters
   other than newline and tab into its vocabulary v, if it does. */
void vocab_note_controls(const Vocab *v, const char *source);
/* ⟨text.h declarations⟩ */
/* ⟨text.h declarations⟩, continued in 09-words.nw */
#line 718 "chapters/09-words.nw"
enum { VOCAB_WORD_MAX = 32 };                 /* the longest word, in characters (chapter 9) */
#define VOCAB_WORD_BASE 0x110000u             /* cp[k] of word 0; of word j, + j */
/* The vocabulary of a text cp[0 .. n) in words: its characters, then the
   commonest words (at most max_words, each seen twice at least) of its
   training part cp[0 .. n_train). */
Vocab words_vocab(const uint32_t *cp, size_t n, size_t n_train, int max_words);
/* text_tokens for a vocabulary of words: a word piece as one token, or spelled out. */
bool words_tokens(const Text *t, const Vocab *v, bool skip_unknown, int *tokens,
                  size_t *count, char *why, size_t whylen);
Vocab vocab_copy(const Vocab *v);
/* The code points of token k (its character, or its word's), *len of them. */
const uint32_t *token_cp(const Vocab *v, int k, int *len);
/* Why word *which of v is not a word a vocabulary may hold, or NULL if they all are. */
const char *vocab_words_bad(const Vocab *v, int *which);
#line 448 "chapters/B1-text.nw"
#endif
