/* main checks what its DT_NEEDED library's constructor did with threads before main ran. */
#include <stdio.h>

extern int ctor_result;

int main(void)
{
	printf("constructor's thread returned %d\n", ctor_result);
	return ctor_result != 7;
}
