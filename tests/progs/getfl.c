/* Prints whether stdin's open file description is non-blocking. */
#include <fcntl.h>
#include <stdio.h>

int main(void)
{
	printf("stdin O_NONBLOCK: %d\n", (fcntl(0, F_GETFL) & O_NONBLOCK) != 0);
	return 0;
}
