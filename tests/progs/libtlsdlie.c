/* A library dlopen()ed while threads run, with an initial-exec __thread variable: ld.so gives it
 * static TLS and must initialise it in every existing thread, in the one calling dlopen before
 * its constructor runs. */
__thread int tlsdlie_var __attribute__((tls_model("initial-exec"))) = 23;
int tlsdlie_ctor_saw = -1; /* the value the constructor read in the dlopen()ing thread */

__attribute__((constructor)) static void tlsdlie_ctor(void)
{
	tlsdlie_ctor_saw = tlsdlie_var;
}

int tlsdlie_get(void)
{
	return tlsdlie_var;
}

void tlsdlie_set(int v)
{
	tlsdlie_var = v;
}
