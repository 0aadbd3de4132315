/* SPDX-License-Identifier: MIT
 * Per-green-thread key values in two-level blocks (32 x 32 slots, like glibc's
 * specific_1stblock scheme), each slot tagged with the key's sequence number so a value stored
 * under a deleted key is never seen through a re-created one.
 */
#include "key.h"

#include "sched.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>

#define KEY_BLOCK 32
#define KEY_BLOCKS (PTHREAD_KEYS_MAX / KEY_BLOCK)

/* One key. Hub OS thread only. */
struct key_info {
	unsigned seq;                /* odd while the key is live; bumped on create and delete */
	void (*destructor)(void *);  /* as given to pthread_key_create */
};

/* A thread's value for one key. */
struct green_key_slot {
	unsigned seq;  /* the key's seq when the value was stored */
	void *value;
};

static struct key_info key_table[PTHREAD_KEYS_MAX];

void green_key_created(pthread_key_t k, void (*destructor)(void *))
{
	if (k >= PTHREAD_KEYS_MAX)
		return;
	/* Odd = live. A re-created key gets a new odd seq: 0 -> 1, 2 (deleted) -> 3, ... */
	key_table[k].seq |= 1;
	key_table[k].destructor = destructor;
}

void green_key_deleted(pthread_key_t k)
{
	if (k < PTHREAD_KEYS_MAX && (key_table[k].seq & 1)) {
		key_table[k].seq += 1; /* even: dead */
		key_table[k].destructor = NULL;
	}
}

static struct green_key_slot *key_slot(struct green_thread *g, pthread_key_t k, bool create)
{
	struct green_key_slot *block;

	if (!g->tsd) {
		if (!create || !(g->tsd = calloc(KEY_BLOCKS, sizeof *g->tsd)))
			return NULL;
	}
	block = g->tsd[k / KEY_BLOCK];
	if (!block) {
		if (!create || !(block = calloc(KEY_BLOCK, sizeof *block)))
			return NULL;
		g->tsd[k / KEY_BLOCK] = block;
	}
	return &block[k % KEY_BLOCK];
}

void *green_key_get(pthread_key_t k)
{
	struct green_key_slot *s;

	if (k >= PTHREAD_KEYS_MAX)
		return NULL;
	s = key_slot(green_sched_self(), k, false);
	return s && s->seq == key_table[k].seq && (s->seq & 1) ? s->value : NULL;
}

int green_key_set(pthread_key_t k, const void *value)
{
	struct green_key_slot *s;

	if (k >= PTHREAD_KEYS_MAX || !(key_table[k].seq & 1))
		return -EINVAL;
	s = key_slot(green_sched_self(), k, value != NULL);
	if (!s)
		return value ? -ENOMEM : 0;
	s->seq = key_table[k].seq;
	s->value = (void *)value;
	return 0;
}

void green_key_exit(struct green_thread *g)
{
	if (!g->tsd)
		return;
	for (int round = 0; round < PTHREAD_DESTRUCTOR_ITERATIONS; round++) {
		bool called = false;

		for (unsigned b = 0; b < KEY_BLOCKS; b++) {
			struct green_key_slot *block = g->tsd[b];
			for (unsigned i = 0; block && i < KEY_BLOCK; i++) {
				struct key_info *key = &key_table[b * KEY_BLOCK + i];
				void *v = block[i].value;

				if (!v || block[i].seq != key->seq || !(key->seq & 1))
					continue;
				block[i].value = NULL;
				if (key->destructor) {
					key->destructor(v);
					called = true;
				}
			}
		}
		if (!called)
			break;
	}
	for (unsigned b = 0; b < KEY_BLOCKS; b++)
		free(g->tsd[b]);
	free(g->tsd);
	g->tsd = NULL;
}
