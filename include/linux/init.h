/* SPDX-License-Identifier: GPL-2.0 */
#ifndef HARNESS_LINUX_INIT_H
#define HARNESS_LINUX_INIT_H

/* No init sections to discard in userspace: the code stays. */
#define __init
#define __exit
#define __initdata
#define __initconst
#define __ref

#endif /* HARNESS_LINUX_INIT_H */
