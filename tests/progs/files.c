/* Regular-file reads and writes with fsync, from several threads at once; checksums. */
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[] = "/tmp/libgreen-files-XXXXXX";

static void *worker(void *arg)
{
	long id = (long)(intptr_t)arg;
	char path[128], buf[8192], back[8192];
	long ok = 0;
	int fd;

	snprintf(path, sizeof path, "%s/f%ld", dir, id);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	for (int i = 0; i < 32; i++) {
		memset(buf, (char)(id * 31 + i), sizeof buf);
		ok += write(fd, buf, sizeof buf) == sizeof buf;
	}
	ok += fsync(fd) == 0;
	ok += fdatasync(fd) == 0;
	lseek(fd, 0, SEEK_SET);
	for (int i = 0; i < 32; i++) {
		memset(buf, (char)(id * 31 + i), sizeof buf);
		ok += read(fd, back, sizeof back) == sizeof back && !memcmp(buf, back, sizeof buf);
	}
	close(fd);
	unlink(path);
	return (void *)(intptr_t)ok;
}

int main(void)
{
	pthread_t t[8];
	long total = 0;

	mkdtemp(dir);
	for (long i = 0; i < 8; i++)
		pthread_create(&t[i], NULL, worker, (void *)(intptr_t)i);
	for (int i = 0; i < 8; i++) {
		void *r;
		pthread_join(t[i], &r);
		total += (long)(intptr_t)r;
	}
	rmdir(dir);
	printf("file operations that succeeded and verified: %ld of %d\n", total, 8 * 66);
	return 0;
}
