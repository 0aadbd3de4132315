/* A library dlopen()ed while threads run, with general-dynamic __thread variables (allocated in
 * each thread on first use; one big enough to need a block of its own). */
__thread int tlsdlgd_var = 21;
__thread char tlsdlgd_big[8192] = "big";

int tlsdlgd_get(void)
{
	return tlsdlgd_var + (tlsdlgd_big[0] == 'b' && tlsdlgd_big[8191] == 0 ? 0 : 1000);
}

void tlsdlgd_set(int v)
{
	tlsdlgd_var = v;
}
