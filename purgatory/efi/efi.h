/* SPDX-License-Identifier: MIT */
/*
 * UEFI types the purgatory's EFI environment provides, laid out as the
 * UEFI 2.10 specification defines them (chapter 4, system table, boot and
 * runtime services; 7, memory; 9, LoadedImage; 10, device paths; 12,
 * console; 13, LoadFile2; 37, RNG). Written for kexload from the
 * specification; names follow it loosely, in kexload's style.
 */
#ifndef KX_EFI_H
#define KX_EFI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The calling convention of every UEFI interface: the platform's C
 * convention on AArch64, Microsoft's x64 convention on x86_64. */
#if defined(__x86_64__)
#define EFIAPI __attribute__((ms_abi))
#else
#define EFIAPI
#endif

/* The variable arguments of an EFIAPI function (the Install/Uninstall-
 * MultipleProtocolInterfaces pairs) follow its convention too: Microsoft's
 * va_list on x86_64. Compiler built-ins: the purgatory has no headers. */
#if defined(__x86_64__)
typedef __builtin_ms_va_list efi_va_list;
#define efi_va_start(ap, last) __builtin_ms_va_start(ap, last)
#define efi_va_end(ap) __builtin_ms_va_end(ap)
#else
typedef __builtin_va_list efi_va_list;
#define efi_va_start(ap, last) __builtin_va_start(ap, last)
#define efi_va_end(ap) __builtin_va_end(ap)
#endif
#define efi_va_arg(ap, type) __builtin_va_arg(ap, type)

/* The PE machine whose images LoadImage starts (PE Format, "Machine
 * Types"): the environment's own. Hosts that run no EFI environment
 * (the unit tests' other targets) test the arm64 loader. */
#if defined(__x86_64__)
#define KX_EFI_PE_MACHINE 0x8664
#else
#define KX_EFI_PE_MACHINE 0xaa64
#endif

typedef uint64_t efi_status;
typedef void *efi_handle;
typedef void *efi_event;
typedef uint16_t efi_char16;
typedef uint64_t efi_phys;
typedef uint64_t efi_tpl;

#define EFI_ERR(n) ((1ULL << 63) | (n))
#define EFI_SUCCESS 0ULL
#define EFI_LOAD_ERROR EFI_ERR(1)
#define EFI_INVALID_PARAMETER EFI_ERR(2)
#define EFI_UNSUPPORTED EFI_ERR(3)
#define EFI_BUFFER_TOO_SMALL EFI_ERR(5)
#define EFI_NOT_READY EFI_ERR(6)
#define EFI_OUT_OF_RESOURCES EFI_ERR(9)
#define EFI_NOT_FOUND EFI_ERR(14)
#define EFI_ACCESS_DENIED EFI_ERR(15)
#define EFI_ALREADY_STARTED EFI_ERR(20)

typedef struct {
	uint32_t d1;
	uint16_t d2;
	uint16_t d3;
	uint8_t d4[8];
} efi_guid;

#define EFI_GUID_INIT(a, b, c, d0, d1, d2, d3, d4, d5, d6, d7) \
	{ a, b, c, { d0, d1, d2, d3, d4, d5, d6, d7 } }

/* Memory types (UEFI 2.10 table 7.10) and attributes. */
enum {
	EFI_RESERVED_MEMORY = 0,
	EFI_LOADER_CODE,
	EFI_LOADER_DATA,
	EFI_BOOT_SERVICES_CODE,
	EFI_BOOT_SERVICES_DATA,
	EFI_RUNTIME_SERVICES_CODE,
	EFI_RUNTIME_SERVICES_DATA,
	EFI_CONVENTIONAL_MEMORY,
	EFI_UNUSABLE_MEMORY,
	EFI_ACPI_RECLAIM_MEMORY,
	EFI_ACPI_MEMORY_NVS,
	EFI_MEMORY_MAPPED_IO,
	EFI_MEMORY_MAPPED_IO_PORT_SPACE,
	EFI_PAL_CODE,
	EFI_PERSISTENT_MEMORY,
	EFI_UNACCEPTED_MEMORY,
	EFI_MAX_MEMORY_TYPE,
};

#define EFI_MEMORY_UC 0x1ULL
#define EFI_MEMORY_WC 0x2ULL
#define EFI_MEMORY_WT 0x4ULL
#define EFI_MEMORY_WB 0x8ULL
#define EFI_MEMORY_RUNTIME (1ULL << 63)
#define EFI_PAGE_SIZE 4096ULL

typedef struct {
	uint32_t type;
	uint32_t pad;
	efi_phys phys;
	uint64_t virt;
	uint64_t pages;
	uint64_t attr;
} efi_memory_descriptor;

#define EFI_MEMORY_DESCRIPTOR_VERSION 1

enum { EFI_ALLOCATE_ANY_PAGES, EFI_ALLOCATE_MAX_ADDRESS, EFI_ALLOCATE_ADDRESS };
enum { EFI_ALL_HANDLES, EFI_BY_REGISTER_NOTIFY, EFI_BY_PROTOCOL };
#define EFI_NATIVE_INTERFACE 0
#define EFI_OPEN_PROTOCOL_TEST_PROTOCOL 0x04

typedef struct {
	uint64_t signature;
	uint32_t revision;
	uint32_t header_size;
	uint32_t crc32;
	uint32_t reserved;
} efi_table_header;

#define EFI_SYSTEM_TABLE_SIGNATURE 0x5453595320494249ULL   /* "IBI SYST" */
#define EFI_BOOT_SERVICES_SIGNATURE 0x56524553544f4f42ULL  /* "BOOTSERV" */
#define EFI_RUNTIME_SERVICES_SIGNATURE 0x56524553544e5552ULL /* "RUNTSERV" */
#define EFI_SPEC_REVISION ((2u << 16) | 100u)               /* 2.10 */

/* A slot for a service the environment does not provide: it prints its
 * name and returns EFI_UNSUPPORTED, whatever it was given. */
typedef efi_status (EFIAPI *efi_unsupported_fn)(void);

/* ---- protocols ---------------------------------------------------------- */

typedef struct {
	uint8_t type;
	uint8_t subtype;
	uint8_t length[2];
} efi_device_path;

#define EFI_DP_MEDIA 4
#define EFI_DP_MEDIA_VENDOR 3
#define EFI_DP_END 0x7f
#define EFI_DP_END_ENTIRE 0xff

/* A vendor media node with its GUID, and the end node. */
typedef struct {
	efi_device_path vendor;
	efi_guid guid;
	efi_device_path end;
} __attribute__((packed)) efi_vendor_media_path;

typedef struct efi_simple_text_output efi_simple_text_output;

typedef struct {
	int32_t max_mode;
	int32_t mode;
	int32_t attribute;
	int32_t cursor_column;
	int32_t cursor_row;
	uint8_t cursor_visible;
} efi_text_output_mode;

struct efi_simple_text_output {
	efi_status (EFIAPI *reset)(efi_simple_text_output *self, bool ext);
	efi_status (EFIAPI *output_string)(efi_simple_text_output *self,
					   const efi_char16 *s);
	efi_unsupported_fn test_string;
	efi_unsupported_fn query_mode;
	efi_unsupported_fn set_mode;
	efi_unsupported_fn set_attribute;
	efi_unsupported_fn clear_screen;
	efi_unsupported_fn set_cursor_position;
	efi_unsupported_fn enable_cursor;
	efi_text_output_mode *mode;
};

typedef struct {
	uint16_t scan_code;
	efi_char16 unicode_char;
} efi_input_key;

typedef struct efi_simple_text_input efi_simple_text_input;

struct efi_simple_text_input {
	efi_status (EFIAPI *reset)(efi_simple_text_input *self, bool ext);
	efi_status (EFIAPI *read_key_stroke)(efi_simple_text_input *self,
					     efi_input_key *key);
	efi_event wait_for_key;
};

typedef struct efi_system_table efi_system_table;

typedef struct {
	uint32_t revision;
	efi_handle parent;
	efi_system_table *system_table;
	efi_handle device;
	efi_device_path *file_path;
	void *reserved;
	uint32_t load_options_size;    /* bytes */
	void *load_options;
	void *image_base;
	uint64_t image_size;
	uint32_t image_code_type;
	uint32_t image_data_type;
	void *unload;
} efi_loaded_image;

#define EFI_LOADED_IMAGE_REVISION 0x1000

typedef struct efi_load_file2 efi_load_file2;

struct efi_load_file2 {
	efi_status (EFIAPI *load_file)(efi_load_file2 *self,
				       efi_device_path *path, bool boot_policy,
				       uint64_t *size, void *buf);
};

typedef struct efi_rng efi_rng;

struct efi_rng {
	efi_status (EFIAPI *get_info)(efi_rng *self, uint64_t *size,
				      efi_guid *algs);
	efi_status (EFIAPI *get_rng)(efi_rng *self, const efi_guid *alg,
				     uint64_t len, uint8_t *buf);
};

/* ---- services ----------------------------------------------------------- */

typedef struct {
	efi_table_header hdr;
	efi_tpl (EFIAPI *raise_tpl)(efi_tpl tpl);
	void (EFIAPI *restore_tpl)(efi_tpl tpl);
	efi_status (EFIAPI *allocate_pages)(int type, uint32_t mem_type,
					    uint64_t pages, efi_phys *addr);
	efi_status (EFIAPI *free_pages)(efi_phys addr, uint64_t pages);
	efi_status (EFIAPI *get_memory_map)(uint64_t *size,
					    efi_memory_descriptor *map,
					    uint64_t *key, uint64_t *desc_size,
					    uint32_t *desc_version);
	efi_status (EFIAPI *allocate_pool)(uint32_t mem_type, uint64_t size,
					   void **buf);
	efi_status (EFIAPI *free_pool)(void *buf);
	efi_unsupported_fn create_event;
	efi_unsupported_fn set_timer;
	efi_unsupported_fn wait_for_event;
	efi_unsupported_fn signal_event;
	efi_unsupported_fn close_event;
	efi_unsupported_fn check_event;
	efi_status (EFIAPI *install_protocol_interface)(efi_handle *h,
							const efi_guid *g,
							int type, void *iface);
	efi_unsupported_fn reinstall_protocol_interface;
	efi_status (EFIAPI *uninstall_protocol_interface)(efi_handle h,
							  const efi_guid *g,
							  void *iface);
	efi_status (EFIAPI *handle_protocol)(efi_handle h, const efi_guid *g,
					     void **iface);
	void *reserved;
	efi_unsupported_fn register_protocol_notify;
	efi_status (EFIAPI *locate_handle)(int search, const efi_guid *g,
					   void *key, uint64_t *size,
					   efi_handle *buf);
	efi_status (EFIAPI *locate_device_path)(const efi_guid *g,
						efi_device_path **path,
						efi_handle *device);
	efi_status (EFIAPI *install_configuration_table)(const efi_guid *g,
							 void *table);
	efi_status (EFIAPI *load_image)(bool boot_policy, efi_handle parent,
					efi_device_path *path, void *buf,
					uint64_t size, efi_handle *image);
	efi_status (EFIAPI *start_image)(efi_handle image,
					 uint64_t *exit_data_size,
					 efi_char16 **exit_data);
	efi_unsupported_fn exit;
	efi_status (EFIAPI *unload_image)(efi_handle image);
	efi_status (EFIAPI *exit_boot_services)(efi_handle image, uint64_t key);
	efi_unsupported_fn get_next_monotonic_count;
	efi_unsupported_fn stall;
	efi_unsupported_fn set_watchdog_timer;
	efi_unsupported_fn connect_controller;
	efi_unsupported_fn disconnect_controller;
	efi_status (EFIAPI *open_protocol)(efi_handle h, const efi_guid *g,
					   void **iface, efi_handle agent,
					   efi_handle controller,
					   uint32_t attributes);
	efi_status (EFIAPI *close_protocol)(efi_handle h, const efi_guid *g,
					    efi_handle agent,
					    efi_handle controller);
	efi_unsupported_fn open_protocol_information;
	efi_unsupported_fn protocols_per_handle;
	efi_status (EFIAPI *locate_handle_buffer)(int search,
						  const efi_guid *g, void *key,
						  uint64_t *count,
						  efi_handle **buf);
	efi_status (EFIAPI *locate_protocol)(const efi_guid *g, void *reg,
					     void **iface);
	efi_status (EFIAPI *install_multiple_protocol_interfaces)(
		efi_handle *h, ...);
	efi_status (EFIAPI *uninstall_multiple_protocol_interfaces)(
		efi_handle h, ...);
	efi_status (EFIAPI *calculate_crc32)(const void *data, uint64_t size,
					     uint32_t *crc);
	void (EFIAPI *copy_mem)(void *dst, const void *src, uint64_t len);
	void (EFIAPI *set_mem)(void *dst, uint64_t len, uint8_t v);
	efi_unsupported_fn create_event_ex;
} efi_boot_services;

typedef struct {
	efi_table_header hdr;
	efi_unsupported_fn get_time;
	efi_unsupported_fn set_time;
	efi_unsupported_fn get_wakeup_time;
	efi_unsupported_fn set_wakeup_time;
	efi_status (EFIAPI *set_virtual_address_map)(uint64_t map_size,
						     uint64_t desc_size,
						     uint32_t desc_version,
						     efi_memory_descriptor *map);
	efi_unsupported_fn convert_pointer;
	efi_status (EFIAPI *get_variable)(const efi_char16 *name,
					  const efi_guid *vendor,
					  uint32_t *attributes, uint64_t *size,
					  void *data);
	efi_status (EFIAPI *get_next_variable_name)(uint64_t *size,
						    efi_char16 *name,
						    efi_guid *vendor);
	efi_status (EFIAPI *set_variable)(const efi_char16 *name,
					  const efi_guid *vendor,
					  uint32_t attributes, uint64_t size,
					  const void *data);
	efi_unsupported_fn get_next_high_monotonic_count;
	efi_unsupported_fn reset_system;
	efi_unsupported_fn update_capsule;
	efi_unsupported_fn query_capsule_capabilities;
	efi_unsupported_fn query_variable_info;
} efi_runtime_services;

typedef struct {
	efi_guid guid;
	void *table;
} efi_configuration_table;

struct efi_system_table {
	efi_table_header hdr;
	efi_char16 *firmware_vendor;
	uint32_t firmware_revision;
	efi_handle console_in_handle;
	efi_simple_text_input *con_in;
	efi_handle console_out_handle;
	efi_simple_text_output *con_out;
	efi_handle standard_error_handle;
	efi_simple_text_output *std_err;
	efi_runtime_services *runtime_services;
	efi_boot_services *boot_services;
	uint64_t number_of_table_entries;
	efi_configuration_table *configuration_table;
};

/* GUIDs (UEFI 2.10; the Linux ones from the kernel's EFI stub ABI). */
#define EFI_LOADED_IMAGE_GUID EFI_GUID_INIT(0x5b1b31a1, 0x9562, 0x11d2, \
	0x8e, 0x3f, 0x00, 0xa0, 0xc9, 0x69, 0x72, 0x3b)
#define EFI_DEVICE_PATH_GUID EFI_GUID_INIT(0x09576e91, 0x6d3f, 0x11d2, \
	0x8e, 0x39, 0x00, 0xa0, 0xc9, 0x69, 0x72, 0x3b)
#define EFI_LOAD_FILE2_GUID EFI_GUID_INIT(0x4006c0c1, 0xfcb3, 0x403e, \
	0x99, 0x6d, 0x4a, 0x6c, 0x87, 0x24, 0xe0, 0x6d)
#define EFI_RNG_GUID EFI_GUID_INIT(0x3152bca5, 0xeade, 0x433d, \
	0x86, 0x2e, 0xc0, 0x1c, 0xdc, 0x29, 0x1f, 0x44)
#define EFI_SIMPLE_TEXT_OUTPUT_GUID EFI_GUID_INIT(0x387477c2, 0x69c7, 0x11d2, \
	0x8e, 0x39, 0x00, 0xa0, 0xc9, 0x69, 0x72, 0x3b)
#define EFI_SIMPLE_TEXT_INPUT_GUID EFI_GUID_INIT(0x387477c1, 0x69c7, 0x11d2, \
	0x8e, 0x39, 0x00, 0xa0, 0xc9, 0x69, 0x72, 0x3b)
#define EFI_DTB_TABLE_GUID EFI_GUID_INIT(0xb1b621d5, 0xf19c, 0x41a5, \
	0x83, 0x0b, 0xd9, 0x15, 0x2c, 0x69, 0xaa, 0xe0)
#define EFI_RT_PROPERTIES_TABLE_GUID EFI_GUID_INIT(0xeb66918a, 0x7eef, 0x402a, \
	0x84, 0x2e, 0x93, 0x1d, 0x21, 0xc3, 0x8a, 0xe9)
#define LINUX_EFI_INITRD_MEDIA_GUID EFI_GUID_INIT(0x5568e427, 0x68fc, 0x4f3d, \
	0xac, 0x74, 0xca, 0x55, 0x52, 0x31, 0xcc, 0x68)

/* EFI_RT_PROPERTIES_TABLE (UEFI 2.10 section 4.6.2): which runtime
 * services may be called after ExitBootServices. */
typedef struct {
	uint16_t version;
	uint16_t length;
	uint32_t supported;
} efi_rt_properties_table;

#endif
