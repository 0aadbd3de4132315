/* The smallest program: prints a line. Used with preloaded test libraries. */
#include <stdio.h>

int main(void)
{
	printf("hello from main\n");
	return 0;
}
