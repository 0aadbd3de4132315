/* A -fPIC library's __thread variable (general-dynamic: reached through __tls_get_addr and the
 * DTV), linked by tls_vars. */
__thread int tlsgd_var = 11;

int tlsgd_get(void)
{
	return tlsgd_var;
}

void tlsgd_set(int v)
{
	tlsgd_var = v;
}
