# kexload: GNU Make build.
#
#   make              library (static, shared, pkg-config) and the command
#   make check        installs what it needs, builds, runs every test
#   make check VM=x86_64   ... with only that architecture's QEMU scenarios
#                          (or scenarios by name: VM=arm64-uefi,arm-uimage)
#   make check VM=none     ... without QEMU scenarios (quick, local only)
#   make demo         kexec one Debian kernel into another inside QEMU
#   make static ARCH=x86_64   a static command at build/x86_64/kexload
#   make bench        benchmarks, with their figures printed
#   make bench-vm     kexload against Debian's kexec-tools in QEMU guests
#   make fuzz         libFuzzer targets under build/fuzz/

CC ?= cc
CLANG ?= clang
LLD ?= ld.lld
PROVE ?= prove
B := build
PREFIX ?= /usr/local
VERSION := 0.1.0

# Optional formats: KX_UIMAGE=0 leaves U-Boot uImage support out (its
# file, and its entry in lib/formats/formats.c's table).
KX_UIMAGE ?= 1
OPTIONAL_SRCS := $(if $(filter 0,$(KX_UIMAGE)),lib/formats/uimage.c)
# Kept in $(B)/options, so that the files they change are rebuilt when
# they do (make KX_UIMAGE=0 after a plain make, say).
KX_OPTIONS := KX_UIMAGE=$(KX_UIMAGE)
OPTION_OBJS := lib/formats/formats.o

WARN := -Wall -Wextra -Werror
# _FILE_OFFSET_BITS: 64-bit file sizes, offsets and inode numbers on 32-bit
# targets (ARM) too; a no-op on 64-bit ones.
BASE_CFLAGS := -std=c11 -D_GNU_SOURCE -D_FILE_OFFSET_BITS=64 -O2 -g $(WARN) -Iinclude -Ilib/core \
	-fvisibility=hidden -DKX_UIMAGE=$(if $(filter 0,$(KX_UIMAGE)),0,1)
SAN := -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer

# Libraries the library uses (libfdt, and the decompressors).
LIBS := -lfdt -lzstd -llzma -lz

# Purgatories: one per directory under purgatory/ (but common/ and efi/,
# the EFI environment), all embedded in every build. PURG_CFLAGS_<arch>
# says how to compile each.
PURG_ARCHES := $(filter-out common efi,$(patsubst purgatory/%/,%,$(wildcard purgatory/*/)))
PURG_CFLAGS := -std=c11 -O2 -ffreestanding -fno-builtin -nostdlibinc \
	-fno-stack-protector -fno-asynchronous-unwind-tables \
	-fno-unwind-tables -fno-pic $(WARN) -Iinclude -Ilib/core \
	-Ipurgatory/common
PURG_CFLAGS_x86_64 := --target=x86_64-linux-gnu -mcmodel=large \
	-mno-red-zone -mno-mmx -mno-sse -mno-sse2 -mno-avx -msoft-float
# arm64: the purgatory hashes with the MMU off before its page tables are
# up (and uncached where they cannot be), where unaligned accesses fault.
PURG_CFLAGS_arm64 := --target=aarch64-linux-gnu -mstrict-align
# arm: ARMv7-A in ARM state, no FP or NEON (the kernel may have left them
# off), and no unaligned accesses: with the MMU off all memory is
# Strongly-ordered, where they fault.
PURG_CFLAGS_arm := --target=armv7a-linux-gnueabihf -marm -mfloat-abi=soft \
	-mfpu=none -mno-unaligned-access
# s390x: z10 instructions, no floating-point or vector registers (the
# purgatory starts after a reset, with CR0's AFP and vector controls off).
PURG_CFLAGS_s390x := --target=s390x-linux-gnu -march=z10 -msoft-float
# lld 14 has no SystemZ target: binutils' linker joins the s390x objects.
PURG_LD_s390x := s390x-linux-gnu-ld
# ppc64: both byte orders, little endian with ELF ABI v2 and big endian
# with ABI v1 (function descriptors); no FP, VMX or VSX registers (the
# kernel may have left them off in the MSR).
PURG_CFLAGS_ppc64 := --target=powerpc64le-linux-gnu -mcpu=power8 \
	-msoft-float -mno-altivec -mno-vsx
PURG_CFLAGS_ppc64be := --target=powerpc64-linux-gnu -mabi=elfv1 \
	-mcpu=power8 -msoft-float -mno-altivec -mno-vsx
PURG_COMMON := purgatory/common/main.c purgatory/common/verify.c \
	purgatory/common/uart.c \
	purgatory/common/string.c lib/core/sha256.c
# The purgatories that start PEs through their EFI stub link the EFI
# environment (purgatory/efi/).
PURG_EFI_arm64 := purgatory/efi/env.c purgatory/efi/start.c
PURG_EFI_x86_64 := purgatory/efi/env.c purgatory/efi/start.c
# The SHA-256 block provider of each purgatory (see lib/core/sha256_accel.h).
PURG_SHA_arm64 := lib/core/sha256_arm64_ce.c
# x86_64: the SHA extensions where CPUID says so (purgatory/x86_64/cpu.c
# turns SSE on for them first).
PURG_SHA_x86_64 := lib/core/sha256_x86.c
PURG_SHA_s390x := lib/core/sha256_s390x_cpacf.c

# Flags for one source file, wherever it is built: the ARMv8 SHA-256
# intrinsics need the crypto extension enabled for their file only.
FILE_CFLAGS_sha256_arm64_ce := -march=armv8-a+crypto
file_cflags = $(FILE_CFLAGS_$(notdir $(basename $(1))))

# The SHA-256 block function for the CPU the library runs on.
host_triplet = $(shell $(1) -dumpmachine)
SHA_SRCS := lib/core/sha256_x86.c lib/core/sha256_none.c \
	lib/core/sha256_arm64.c lib/core/sha256_arm64_ce.c \
	lib/core/sha256_s390x_cpacf.c
sha_accel = $(strip \
	$(if $(filter x86_64%,$(call host_triplet,$(1))),lib/core/sha256_x86.c, \
	$(if $(filter aarch64%,$(call host_triplet,$(1))), \
		lib/core/sha256_arm64.c lib/core/sha256_arm64_ce.c, \
	$(if $(filter s390x%,$(call host_triplet,$(1))), \
		lib/core/sha256_s390x_cpacf.c, \
	lib/core/sha256_none.c))))

LIB_SRCS := $(filter-out $(SHA_SRCS) $(OPTIONAL_SRCS), \
	$(wildcard lib/core/*.c lib/formats/*.c lib/arch/*.c lib/arch/*/*.c \
	lib/sys/*.c lib/dt/*.c))
TOOL_SRCS := tools/kexload.c tools/output.c
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_NAMES := $(notdir $(UNIT_SRCS:.c=))
FUZZ_SRCS := $(wildcard fuzz/fuzz_*.c)

.PHONY: all deps check check-unit demo static \
	bench fuzz install clean kernels FORCE

all: $(B)/host/kexload $(B)/host/libkexload.a $(B)/host/libkexload.so \
	$(B)/host/kexload.pc

deps:
	@scripts/deps.sh

$(B)/options: FORCE
	@mkdir -p $(B)
	@echo '$(KX_OPTIONS)' | cmp -s - $@ || echo '$(KX_OPTIONS)' > $@
FORCE:

# ---- purgatories ----------------------------------------------------------

define purgatory
PURG_OBJS_$(1) := $$(patsubst %,$(B)/purgatory/$(1)/%.o, \
	$$(PURG_COMMON) $$(or $$(PURG_SHA_$(1)),lib/core/sha256_none.c) \
	$$(PURG_EFI_$(1)) \
	$$(wildcard purgatory/$(1)/*.c purgatory/$(1)/*.S))
$(B)/purgatory/$(1)/%.c.o: %.c $$(wildcard purgatory/common/*.h purgatory/efi/*.h purgatory/$(1)/*.h lib/core/*.h include/*.h)
	@mkdir -p $$(dir $$@)
	$$(CLANG) $$(PURG_CFLAGS) $$(PURG_CFLAGS_$(1)) $$(call file_cflags,$$<) \
		-MMD -MP -c $$< -o $$@
$(B)/purgatory/$(1)/%.S.o: %.S $$(wildcard purgatory/$(1)/*.h)
	@mkdir -p $$(dir $$@)
	$$(CLANG) $$(PURG_CFLAGS_$(1)) -MMD -MP -c $$< -o $$@
$(B)/purgatory/$(1).ro: $$(PURG_OBJS_$(1))
	$$(or $$(PURG_LD_$(1)),$$(LLD)) -r -o $$@ $$^
endef
$(foreach a,$(PURG_ARCHES),$(eval $(call purgatory,$(a))))
# What each purgatory object includes (ppc64be's files include ppc64's).
-include $(foreach a,$(PURG_ARCHES),$(PURG_OBJS_$(a):.o=.d))

PURG_BLOBS := $(PURG_ARCHES:%=$(B)/purgatory/%.ro)

$(B)/purgatory/blobs.S: purgatory/blob.h Makefile
	@mkdir -p $(dir $@)
	{ echo '#include "purgatory/blob.h"'; \
	  for a in $(PURG_ARCHES); do echo "BLOB($$a, \"$$a.ro\")"; done; \
	  echo '.section .note.GNU-stack, "", %progbits'; } > $@

# ---- library and command, per build variant -----------------------------
# $(1) variant, $(2) compiler, $(3) extra flags, $(4) link flags

define variant
$(1)_CC := $(2)
$(1)_CFLAGS := $$(BASE_CFLAGS) $(3)
$(1)_LIB_OBJS := $$(patsubst %.c,$(B)/$(1)/obj/%.o,$$(LIB_SRCS) \
	$$(call sha_accel,$(2))) $(B)/$(1)/obj/purgatory/blobs.o
$(1)_TOOL_OBJS := $$(patsubst %.c,$(B)/$(1)/obj/%.o,$$(TOOL_SRCS))
$(B)/$(1)/obj/%.o: %.c
	@mkdir -p $$(dir $$@)
	$$($(1)_CC) $$($(1)_CFLAGS) $$(call file_cflags,$$<) -MMD -MP -c $$< -o $$@
$$(OPTION_OBJS:%=$(B)/$(1)/obj/%): $(B)/options
$(B)/$(1)/obj/purgatory/blobs.o: $(B)/purgatory/blobs.S $$(PURG_BLOBS)
	@mkdir -p $$(dir $$@)
	$$($(1)_CC) -I. -c -Wa,-I,$(B)/purgatory $$< -o $$@
$(B)/$(1)/libkexload.a: $$($(1)_LIB_OBJS)
	rm -f $$@
	$$(if $$(filter %-gcc,$(2)),$$(patsubst %-gcc,%-ar,$(2)),ar) rcs $$@ $$^
$(B)/$(1)/kexload: $$($(1)_TOOL_OBJS) $(B)/$(1)/libkexload.a
	$$($(1)_CC) $$($(1)_CFLAGS) $$^ -o $$@ $(4) $$(LIBS)
-include $$(wildcard $(B)/$(1)/obj/*/*.d $(B)/$(1)/obj/*/*/*.d $(B)/$(1)/obj/*/*/*/*.d)
endef

$(eval $(call variant,host,$(CC),-fPIC,))
$(eval $(call variant,asan,$(CC),$(SAN) -O1,$(SAN)))

$(B)/host/libkexload.so: $(host_LIB_OBJS) lib/libkexload.map
	$(CC) -shared -Wl,--version-script=lib/libkexload.map \
		-Wl,-soname,libkexload.so.0 $(host_LIB_OBJS) -o $@ $(LIBS)
	ln -sf libkexload.so $(B)/host/libkexload.so.0

$(B)/host/kexload.pc: lib/kexload.pc.in
	sed -e 's|@PREFIX@|$(PREFIX)|; s|@VERSION@|$(VERSION)|' $< > $@

# ---- static commands for the guests -------------------------------------

# Each architecture: its cross compiler and, for foreign ones, the Debian
# architecture whose -dev packages scripts/sysroot.sh unpacks.
STATIC_CC_x86_64 := gcc
STATIC_CC_arm64 := aarch64-linux-gnu-gcc
STATIC_CC_arm := arm-linux-gnueabihf-gcc
STATIC_CC_s390x := s390x-linux-gnu-gcc
STATIC_CC_ppc64le := powerpc64le-linux-gnu-gcc
DEBARCH_arm64 := arm64
DEBARCH_arm := armhf
DEBARCH_s390x := s390x
DEBARCH_ppc64le := ppc64el
TRIPLET_arm64 := aarch64-linux-gnu
TRIPLET_arm := arm-linux-gnueabihf
TRIPLET_s390x := s390x-linux-gnu
TRIPLET_ppc64le := powerpc64le-linux-gnu
KX_CACHE ?= $(CURDIR)/.cache
ARCH ?= x86_64
ifneq ($(filter static,$(MAKECMDGOALS)),)
ifeq ($(STATIC_CC_$(ARCH)),)
$(error make static ARCH=$(ARCH): unknown architecture; known: x86_64 arm64 arm s390x ppc64le)
endif
ifneq ($(DEBARCH_$(ARCH)),)
SYSROOT := $(KX_CACHE)/sysroot/$(DEBARCH_$(ARCH))
STATIC_FLAGS := -isystem $(SYSROOT)/usr/include \
	-isystem $(SYSROOT)/usr/include/$(TRIPLET_$(ARCH))
STATIC_LDFLAGS := -L$(SYSROOT)/usr/lib/$(TRIPLET_$(ARCH))
$(SYSROOT)/.complete:
	scripts/sysroot.sh $(DEBARCH_$(ARCH))
$(B)/$(ARCH)/libkexload.a: | $(SYSROOT)/.complete
endif
$(eval $(call variant,$(ARCH),$(STATIC_CC_$(ARCH)),$(STATIC_FLAGS),-static $(STATIC_LDFLAGS)))
endif
# kx-corrupt: the QEMU negative scenario's loader (tests/vm/corrupt.c)
static: $(B)/$(ARCH)/kexload $(B)/$(ARCH)/kx-corrupt
$(B)/$(ARCH)/kx-corrupt: tests/vm/corrupt.c $(B)/$(ARCH)/libkexload.a
	$(STATIC_CC_$(ARCH)) $(BASE_CFLAGS) $(STATIC_FLAGS) $^ -o $@ -static \
		$(STATIC_LDFLAGS) $(LIBS)
# kx-vmcore: the kdump scenarios' pattern filler and /proc/vmcore checker
static: $(B)/$(ARCH)/kx-vmcore
$(B)/$(ARCH)/kx-vmcore: tests/vm/vmcore.c
	$(STATIC_CC_$(ARCH)) $(BASE_CFLAGS) $^ -o $@ -static

# ---- tests ----------------------------------------------------------------

UNIT_CFLAGS := -Ilib/core -Ilib/arch -Ipurgatory/common -Itests/unit
# Input builders (tests/fixtures/) a unit test links besides the library.
UNIT_EXTRA_test_arm64 := tests/fixtures/arm64.c
UNIT_EXTRA_test_wrappers := tests/fixtures/arm64.c
UNIT_EXTRA_test_spcr := tests/fixtures/arm64.c
UNIT_EXTRA_test_pipeline := tests/fixtures/arm64.c
UNIT_EXTRA_test_crash := tests/fixtures/arm64.c
UNIT_EXTRA_test_lockdown := tests/fixtures/arm64.c
UNIT_EXTRA_test_purgmain := purgatory/common/main.c
# The purgatory's EFI environment, compiled for the host.
UNIT_EXTRA_test_efienv := purgatory/efi/env.c
define unit
$(B)/$(1)/tests/$(2): tests/unit/$(2).c $$(wildcard tests/unit/*.h purgatory/*/*.h lib/core/*.h) purgatory/common/verify.c \
		$$(UNIT_EXTRA_$(2)) $$(wildcard tests/fixtures/*.h) $(B)/$(1)/libkexload.a
	@mkdir -p $$(dir $$@)
	$$($(1)_CC) $$($(1)_CFLAGS) $$(UNIT_CFLAGS) tests/unit/$(2).c \
		purgatory/common/verify.c $$(UNIT_EXTRA_$(2)) \
		$(B)/$(1)/libkexload.a -o $$@ $(3) $$(LIBS)
endef
$(foreach t,$(UNIT_NAMES),$(eval $(call unit,host,$(t),)))
$(foreach t,$(UNIT_NAMES),$(eval $(call unit,asan,$(t),$(SAN))))
# The unit tests built statically for ARCH, run under qemu-user by
# tests/unit/cross.t: the byte order, word size and SHA-256 instructions
# of the target, checked on this host.
ifneq ($(filter static,$(MAKECMDGOALS)),)
$(foreach t,$(UNIT_NAMES),$(eval $(call unit,$(ARCH),$(t),-static $(STATIC_LDFLAGS))))
static: $(UNIT_NAMES:%=$(B)/$(ARCH)/tests/%)
endif

UNIT_BINS := $(UNIT_NAMES:%=$(B)/host/tests/%) $(UNIT_NAMES:%=$(B)/asan/tests/%)

# ELF executables of both byte orders and both classes for test_elf,
# built with clang and ld.lld (tests/fixtures/elf_min.c).
ELF_FIXTURES := $(patsubst %,$(B)/fixtures/elf-%,powerpc64le-linux-gnu \
	powerpc64-linux-gnu i686-linux-gnu powerpc-linux-gnu)
$(B)/fixtures/elf-%: tests/fixtures/elf_min.c tests/fixtures/elf_min.ld
	@mkdir -p $(dir $@)
	$(CLANG) --target=$* -ffreestanding -nostdlib -fno-pic -fno-common -O1 \
		-fuse-ld=lld -static -Wl,--build-id=none \
		-Wl,-T,tests/fixtures/elf_min.ld -o $@ $<
$(B)/host/tests/test_elf $(B)/asan/tests/test_elf: | $(ELF_FIXTURES)

# s390x ELF kernels for test_s390x and plan-s390x.t, with binutils' s390x
# tools (tests/fixtures/s390_elf.s): one from 0 and the image objcopy
# makes of it, one that starts at 1 MiB, one of 31 bits.
S390_ELF_FIXTURES := $(B)/fixtures/s390x-vmlinux $(B)/fixtures/s390x-vmlinux.image \
	$(B)/fixtures/s390x-vmlinux-high $(B)/fixtures/s390x-vmlinux-31
$(B)/fixtures/s390x-elf.o: tests/fixtures/s390_elf.s
	@mkdir -p $(dir $@)
	s390x-linux-gnu-as -o $@ $<
$(B)/fixtures/s390x-elf31.o: tests/fixtures/s390_elf.s
	@mkdir -p $(dir $@)
	s390x-linux-gnu-as -m31 -o $@ $<
$(B)/fixtures/s390x-vmlinux: $(B)/fixtures/s390x-elf.o tests/fixtures/s390_elf.ld
	s390x-linux-gnu-ld --defsym=KX_BASE=0 -T tests/fixtures/s390_elf.ld -o $@ $<
$(B)/fixtures/s390x-vmlinux-high: $(B)/fixtures/s390x-elf.o tests/fixtures/s390_elf.ld
	s390x-linux-gnu-ld --defsym=KX_BASE=0x100000 -T tests/fixtures/s390_elf.ld -o $@ $<
$(B)/fixtures/s390x-vmlinux-31: $(B)/fixtures/s390x-elf31.o tests/fixtures/s390_elf.ld
	s390x-linux-gnu-ld -m elf_s390 --defsym=KX_BASE=0 -T tests/fixtures/s390_elf.ld -o $@ $<
$(B)/fixtures/s390x-vmlinux.image: $(B)/fixtures/s390x-vmlinux
	s390x-linux-gnu-objcopy -O binary $< $@
$(B)/host/tests/test_s390x $(B)/asan/tests/test_s390x: | $(S390_ELF_FIXTURES)

$(B)/host/mkbzimage: tests/fixtures/mkbzimage.c
	$(CC) $(BASE_CFLAGS) $< -o $@
$(B)/host/mkzimage: tests/fixtures/mkzimage.c
	$(CC) $(BASE_CFLAGS) $< -o $@ -lz

$(B)/host/mkarm64: tests/fixtures/mkarm64.c tests/fixtures/arm64.c tests/fixtures/arm64.h
	$(CC) $(BASE_CFLAGS) $(filter %.c,$^) -o $@ $(LIBS)

VM ?= all
# Everything runs through prove: the unit tests (plain and with ASan and
# UBSan), the command on real Debian kernels, the fuzz smoke runs and the
# QEMU scenarios (VM=all, VM=none or VM=x86_64,...).
check: deps
	@$(MAKE) --no-print-directory all $(UNIT_BINS) $(B)/host/mkbzimage \
		$(B)/host/mkarm64 $(B)/host/mkzimage fuzz
	@$(MAKE) --no-print-directory static ARCH=x86_64
	@$(MAKE) --no-print-directory static ARCH=arm64
	@$(MAKE) --no-print-directory static ARCH=arm
	@$(MAKE) --no-print-directory static ARCH=s390x
	@$(MAKE) --no-print-directory static ARCH=ppc64le
	@$(MAKE) --no-print-directory B=$(B)/no-uimage KX_UIMAGE=0 \
		$(B)/no-uimage/host/kexload
	KEXLOAD_FORBID_KEXEC=1 KX_VM="$(VM)" $(PROVE) --exec '' $(UNIT_BINS) tests/unit/cross.t \
		tests/cli/*.t tests/fuzz/*.t tests/vm/run.t

check-unit: $(UNIT_BINS)
	KEXLOAD_FORBID_KEXEC=1 $(PROVE) --exec '' $(UNIT_BINS)

# ---- fuzzing --------------------------------------------------------------

FUZZ_FLAGS := -fsanitize=fuzzer,address,undefined -g -O1
FUZZLIB_FLAGS := -fsanitize=fuzzer-no-link,address,undefined -O1
$(eval $(call variant,fuzzlib,$(CLANG),$(FUZZLIB_FLAGS),))
fuzz: $(FUZZ_SRCS:fuzz/%.c=$(B)/fuzz/%)
$(B)/fuzz/%: fuzz/%.c $(wildcard fuzz/*.h) $(B)/fuzzlib/libkexload.a
	@mkdir -p $(dir $@)
	$(CLANG) $(BASE_CFLAGS) -Ilib/core $(FUZZ_FLAGS) $(filter %.c,$^) \
		$(filter %.a,$^) -o $@ $(LIBS)
# The EFI environment's PE loader, compiled for the host with its target
# (its sources before the library, which has the SHA-256 it uses).
$(B)/fuzz/fuzz_efienv: purgatory/efi/env.c $(wildcard purgatory/efi/*.h)

# ---- demo and bench -------------------------------------------------------

demo: deps all
	@$(MAKE) --no-print-directory static ARCH=x86_64
	tests/vm/demo.sh

bench: deps all
	@$(MAKE) --no-print-directory static ARCH=arm64
	bench/plan-vs-sha256sum.sh
	bench/arm64-purgatory.sh

# kexload against Debian's kexec-tools in the same QEMU guests: load and
# exec -> new init, checks on and off, medians of BENCH_RUNS; not part of
# check. BENCH_ARCH=x86_64 (or arm64) for one architecture, BENCH_RUNS=1
# for a quick try, BENCH_ICOUNT=1 for instruction-counted guest time.
BENCH_ARCH ?= x86_64,arm64
BENCH_RUNS ?= 3
BENCH_ICOUNT ?= 0
comma := ,
.PHONY: bench-vm
bench-vm: deps
	@for a in $(subst $(comma), ,$(BENCH_ARCH)); do \
		$(MAKE) --no-print-directory static ARCH=$$a || exit 1; done
	BENCH_ARCH=$(BENCH_ARCH) BENCH_RUNS=$(BENCH_RUNS) \
		BENCH_ICOUNT=$(BENCH_ICOUNT) bench/vm-kexec-tools.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib \
		$(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/lib/pkgconfig \
		$(DESTDIR)$(PREFIX)/share/man/man8
	install -m 755 $(B)/host/kexload $(DESTDIR)$(PREFIX)/bin/
	install -m 644 $(B)/host/libkexload.a $(DESTDIR)$(PREFIX)/lib/
	install -m 755 $(B)/host/libkexload.so $(DESTDIR)$(PREFIX)/lib/libkexload.so.0
	ln -sf libkexload.so.0 $(DESTDIR)$(PREFIX)/lib/libkexload.so
	install -m 644 include/kexload.h $(DESTDIR)$(PREFIX)/include/
	install -m 644 $(B)/host/kexload.pc $(DESTDIR)$(PREFIX)/lib/pkgconfig/
	install -m 644 man/kexload.8 $(DESTDIR)$(PREFIX)/share/man/man8/

clean:
	rm -rf $(B)
