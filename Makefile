# libgreen: every pthread of an unmodified program becomes a green thread on one libevent hub.
# One hand-written GNU Makefile. Targets: all (default), demo, test, bench, compat, install,
# clean.
# Variables: PREFIX, DESTDIR, GREEN_ARCH=generic (portable context switch), CC, B (build dir).

VERSION   := 0.1.0
PREFIX    ?= /usr/local
LIBDIR    ?= $(PREFIX)/lib
BINDIR    ?= $(PREFIX)/bin
MANDIR    ?= $(PREFIX)/share/man
B         ?= build
CC        ?= cc
CXX       ?= c++
DEPS_PKGS := libevent_core libunwind
APT_PKGS  := pkg-config libevent-dev libunwind-dev

WARN      := -Wall -Wextra -Werror
CFLAGS    ?= -O2 -g
BASEFLAGS := -std=gnu11 -D_GNU_SOURCE $(WARN) -fPIC -fvisibility=hidden \
             -fno-omit-frame-pointer -fasynchronous-unwind-tables
# Recursive (=) so pkg-config runs after the dependency check has installed it.
PKG_CFLAGS = $(shell pkg-config --cflags $(DEPS_PKGS))
PKG_LIBS   = $(shell pkg-config --libs libevent_core)

ifeq ($(GREEN_ARCH),generic)
ARCH_SRC  := core/arch/generic/switch.c
BASEFLAGS += -DGREEN_ARCH_GENERIC
else ifeq ($(shell uname -m),x86_64)
ARCH_SRC  := core/arch/x86_64/switch.S core/arch/x86_64/context.c
else
ARCH_SRC  := core/arch/generic/switch.c
endif

LIB_SRC   := $(wildcard preload/*.c) $(wildcard core/*.c) $(wildcard hooks/*.c) $(ARCH_SRC)
LIB_SRC   := $(filter-out preload/green.c,$(LIB_SRC))
LIB_OBJ   := $(patsubst %,$(B)/obj/%.o,$(LIB_SRC))
HEADERS   := $(wildcard preload/*.h preload/*.def core/*.h core/arch/*/*.h hooks/*.h)

PROG_SRC  := $(wildcard tests/progs/*.c)
PROG_HDRS := $(wildcard tests/progs/*.h)
PROG_CXX  := $(wildcard tests/progs/*.cc)
PROGS     := $(patsubst tests/progs/%.c,$(B)/progs/%,$(PROG_SRC)) \
             $(patsubst tests/progs/%.cc,$(B)/progs/%,$(PROG_CXX))
PROG_LIBS := $(patsubst tests/progs/lib%.c,$(B)/progs/lib%.so,$(wildcard tests/progs/lib*.c))
PROGS     := $(filter-out $(patsubst %.so,%,$(PROG_LIBS)),$(PROGS))
UNITS     := $(patsubst tests/unit/%.c,$(B)/unit/%,$(wildcard tests/unit/*.c))
BENCH_SRC := $(wildcard tests/bench/*.c)
BENCHES   := $(patsubst tests/bench/%.c,$(B)/bench/%,$(BENCH_SRC))

.PHONY: all deps demo test bench compat install uninstall clean progs
.DELETE_ON_ERROR:

all: $(B)/libgreen.so $(B)/green

# Build dependencies: installed with apt-get when root, otherwise the exact command is shown.
deps: $(B)/.deps
$(B)/.deps:
	@if ! command -v pkg-config >/dev/null 2>&1 || ! pkg-config --exists $(DEPS_PKGS); then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "libgreen: installing build dependencies: $(APT_PKGS)"; \
	    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $(APT_PKGS) || exit 1; \
	  else \
	    echo "libgreen: missing build dependencies (libevent, libunwind via pkg-config). Run:"; \
	    echo "  sudo apt-get update && sudo apt-get install -y $(APT_PKGS)"; exit 1; \
	  fi; \
	fi
	@mkdir -p $(@D) && touch $@

# The version script exports exactly the hooks listed in preload/hooks.def (the second field
# of every GREEN_HOOK* row), unversioned.
HOOK_NAMES = sed -n 's/^GREEN_HOOK[A-Z_]*([^,]*, *\([A-Za-z0-9_]*\),.*/\1/p'
$(B)/exports.map: preload/hooks.def | $(B)/.deps
	@mkdir -p $(@D)
	@{ echo '{ global:'; $(HOOK_NAMES) $< | sed 's/.*/  &;/'; echo '  local: *; };'; } > $@

# V=1 shows full command lines.
Q := $(if $(V),,@)
$(B)/obj/%.c.o: %.c $(HEADERS) | $(B)/.deps
	@mkdir -p $(@D)
	@$(if $(V),,echo "  CC      $<")
	$(Q)$(CC) $(BASEFLAGS) $(CFLAGS) $(PKG_CFLAGS) -c $< -o $@

$(B)/obj/%.S.o: %.S $(HEADERS) | $(B)/.deps
	@mkdir -p $(@D)
	@$(if $(V),,echo "  AS      $<")
	$(Q)$(CC) $(BASEFLAGS) -c $< -o $@

# -z initfirst: our constructor runs before every other library's (HAZARDS H7).
$(B)/libgreen.so: $(LIB_OBJ) $(B)/exports.map
	@$(if $(V),,echo "  LD      $@")
	$(Q)$(CC) -shared -o $@ $(LIB_OBJ) -Wl,--version-script=$(B)/exports.map \
	  -Wl,-z,initfirst -Wl,-z,now -Wl,-z,relro -Wl,-z,noexecstack -Wl,--exclude-libs,ALL \
	  -Wl,--as-needed $(PKG_LIBS) -lgcc_s -ldl

$(B)/green: preload/green.c preload/config.c preload/config.h
	@mkdir -p $(@D)
	$(CC) -std=gnu11 -D_GNU_SOURCE $(WARN) $(CFLAGS) -DGREEN_VERSION='"$(VERSION)"' \
	  -DGREEN_LIBDIR='"$(LIBDIR)"' preload/green.c preload/config.c -o $@

# Test programs: ordinary pthread programs, never built against libgreen. Per-program link
# flags: LDFLAGS_<name>.
LDFLAGS_libctorfirst := -Wl,-z,initfirst
PROG_CXXFLAGS_cxx_sync := -std=gnu++20
LDFLAGS_ctor_needed  := -L$(B)/progs -lctorneeded -Wl,-rpath,'$$ORIGIN'
LDFLAGS_static_hello := -static
PROG_CFLAGS_omp      := -fopenmp
progs: $(PROGS) $(PROG_LIBS) $(BENCHES) $(UNITS)
$(B)/progs/lib%.so: tests/progs/lib%.c $(PROG_HDRS)
	@mkdir -p $(@D)
	$(CC) -std=gnu11 -D_GNU_SOURCE $(WARN) -O2 -g -fPIC -shared -pthread $< -o $@ $(LDFLAGS_lib$*)
$(B)/progs/%: tests/progs/%.c $(PROG_HDRS) $(PROG_LIBS)
	@mkdir -p $(@D)
	$(CC) -std=gnu11 -D_GNU_SOURCE $(WARN) -O2 -g -pthread $(PROG_CFLAGS_$*) $< -o $@ $(LDFLAGS_$*)
$(B)/progs/%: tests/progs/%.cc
	@mkdir -p $(@D)
	$(CXX) -std=gnu++17 $(PROG_CXXFLAGS_$*) $(WARN) -O2 -g -pthread $< -o $@
# core_units links libgreen's own objects (booted as a program would be) to call core directly.
$(B)/unit/core_units: tests/unit/core_units.c $(LIB_OBJ) $(HEADERS)
	@mkdir -p $(@D)
	$(CC) -std=gnu11 -D_GNU_SOURCE $(WARN) -O2 -g $(PKG_CFLAGS) $< $(LIB_OBJ) -o $@ $(PKG_LIBS) -lgcc_s -ldl -pthread
$(B)/unit/%: tests/unit/%.c $(HEADERS) preload/config.c
	@mkdir -p $(@D)
	$(CC) -std=gnu11 -D_GNU_SOURCE $(WARN) -O2 -g $< -o $@
$(B)/bench/echo_libevent: tests/bench/echo_libevent.c $(PROG_HDRS) | $(B)/.deps
	@mkdir -p $(@D)
	$(CC) -std=gnu11 -D_GNU_SOURCE $(WARN) -O2 -g $< -o $@ $(PKG_CFLAGS) $(PKG_LIBS)
$(B)/bench/%: tests/bench/%.c
	@mkdir -p $(@D)
	$(CC) -std=gnu11 -D_GNU_SOURCE $(WARN) -O2 -g -pthread $< -o $@ -lm

demo: all progs
	@tests/demo.sh $(B)

test: all progs
	@command -v bats >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y bats; \
	  else echo "libgreen: bats is missing. Run: sudo apt-get install -y bats"; exit 1; fi; }
	@tests/run.sh $(B)

bench: all progs
	@tests/bench/run.sh $(B)

compat: all progs
	@tests/compat.sh $(B)

install: all
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 0755 $(B)/libgreen.so $(DESTDIR)$(LIBDIR)/libgreen.so
	install -m 0755 $(B)/green $(DESTDIR)$(BINDIR)/green
	install -m 0644 man/green.1 $(DESTDIR)$(MANDIR)/man1/green.1
	install -d $(DESTDIR)$(PREFIX)/share/libgreen
	install -m 0644 preload/libgreen-gdb.py $(DESTDIR)$(PREFIX)/share/libgreen/libgreen-gdb.py

uninstall:
	rm -f $(DESTDIR)$(LIBDIR)/libgreen.so $(DESTDIR)$(BINDIR)/green $(DESTDIR)$(MANDIR)/man1/green.1 \
	      $(DESTDIR)$(PREFIX)/share/libgreen/libgreen-gdb.py

clean:
	rm -rf $(B)
