/* Linked -static: the dynamic loader (and so LD_PRELOAD) never runs; the launcher warns. */
#include <stdio.h>

int main(void)
{
	printf("static hello\n");
	return 0;
}
