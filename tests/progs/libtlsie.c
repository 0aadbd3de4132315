/* A library's initial-exec __thread variable (a fixed offset from the thread pointer), linked
 * by tls_vars. */
__thread int tlsie_var __attribute__((tls_model("initial-exec"))) = 13;

int tlsie_get(void)
{
	return tlsie_var;
}

void tlsie_set(int v)
{
	tlsie_var = v;
}
