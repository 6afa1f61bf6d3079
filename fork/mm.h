/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mm.h: a userspace model of a process's address space and of what fork()
 * does to it, on a maple tree.
 *
 * The model keeps only what the tree sees: an mm whose VMA tree maps each
 * VMA's range [vm_start, vm_end - 1] to the VMA, and VMA objects from a
 * kmem_cache.  Page tables, files and anon_vmas are left out; the VMA is
 * padded so that copying one costs about what copying the kernel's does.
 *
 *   struct mm
 *   ├── mm_mt      maple tree, MT_FLAGS_ALLOC_RANGE | MT_FLAGS_LOCK_EXTERN
 *   │     [vm_start, vm_end - 1] ──> struct vma     (gaps between: NULL)
 *   ├── mmap_lock  rw_semaphore, the tree's external lock
 *   └── map_count  VMAs in the tree
 *
 * dup_mmap() copies a parent's mm into an empty child in one of two ways:
 *
 *   DUP_OLD  (Linux 6.1 - 6.6)  the child's tree starts empty; bulk mode
 *            (mas_expected_entries()) preallocates its nodes, each copied
 *            VMA is stored with one mas_store(), mas_destroy() finishes.
 *            (A subject without mas_expected_entries() stores each VMA
 *            with mas_store_gfp() instead.)
 *   DUP_NEW  (Linux 6.7 on, the seed's series)  __mt_dup() copies the
 *            parent's tree node by node, so the child's tree first holds
 *            the parent's VMAs; each is then overwritten in place by its
 *            copy (an exact-fit store: no allocation) and VM_DONTCOPY ones
 *            are erased (which may allocate, so may fail).  Only on a
 *            subject that has __mt_dup() (dup_strategy_available()).
 *
 * A DUP_NEW failure at VMA C leaves the child's tree half copied.  The
 * first range not duplicated is overwritten with XA_ZERO_ENTRY, and
 * exit_mmap() frees VMAs up to that marker and no further, because past it
 * the tree still points at the parent's VMAs:
 *
 *   parent:  [A ] [B ]   [C ] [D ]  [E ]
 *   child:   [A'] [B']   [Z ] [D ]  [E ]     Z = XA_ZERO_ENTRY
 *            freed by exit_mmap  stop  ─ parent's, never freed ─
 *
 * A DUP_OLD failure leaves a tree holding only copies, all freed.
 *
 * Invariants: ranges in a tree never overlap; every VMA in a child's tree
 * before any XA_ZERO_ENTRY belongs to the child (vm_mm == child); each VMA
 * is freed exactly once, by exit_mmap() of the mm it belongs to.
 *
 * In this model `mm` is the mm being worked on, `parent`/`child` the two
 * sides of a fork, `vma` a VMA object and `mas` a state on an mm's tree.
 */
#ifndef FORK_MM_H
#define FORK_MM_H

#include <linux/maple_tree.h>
#include <linux/rwsem.h>
#include <subject-api.h>	/* HAVE___MT_DUP, SUBJECT_NAME */

#define MM_PAGE_SIZE		4096UL

/* vm_flags bits, with the kernel's meanings and values. */
#define VM_READ			0x00000001UL
#define VM_WRITE		0x00000002UL
#define VM_EXEC			0x00000004UL
#define VM_SHARED		0x00000008UL
#define VM_GROWSDOWN		0x00000100UL
#define VM_DONTCOPY		0x00020000UL	/* not inherited by a child */

/* Words padding struct vma to about the size of the kernel's VMA. */
#define VMA_PAYLOAD_WORDS	16

struct mm;

struct vma {
	unsigned long vm_start;		/* first byte, page aligned */
	unsigned long vm_end;		/* first byte after, page aligned */
	unsigned long vm_flags;		/* VM_* */
	unsigned long vm_pgoff;		/* offset in its file, in pages */
	struct mm *vm_mm;		/* the mm whose tree holds it */
	unsigned int vm_id;		/* index in the first mm; kept by copies */
	/* stands in for file, anon_vma, policy, locks...; copied, not read */
	unsigned long vm_payload[VMA_PAYLOAD_WORDS];
};

/*
 * Per-VMA allocation and free counts of one mm, indexed by vm_id; for the
 * checks: a count above one is a double free, allocs != frees a leak.
 */
struct vma_census {
	unsigned int *allocs;		/* VMAs made for this mm */
	unsigned int *frees;		/* VMAs of this mm freed */
	unsigned long nr;		/* entries in each array */
};

struct mm {
	struct maple_tree mm_mt;	/* the VMAs; writers hold mmap_lock */
	struct rw_semaphore mmap_lock;	/* the tree's external lock */
	unsigned long map_count;	/* VMAs in mm_mt; under mmap_lock */
	struct vma_census *census;	/* or NULL; set by checks only */
};

/* How mm_build() lays out a process. */
struct mm_layout {
	unsigned long nr_vmas;		/* VMAs in all (at least 1) */
	unsigned int gap_every;		/* guard page after every n-th extra VMA; 0: none */
	unsigned int dontcopy_every;	/* every n-th VMA gets VM_DONTCOPY; 0: none */
};

enum dup_strategy {
	DUP_OLD,			/* empty tree, bulk mode, one store per VMA */
	DUP_NEW,			/* __mt_dup(), then overwrite in place */
};

/* The VMAs of a small dynamically linked process, laid out by mm_build(). */
#define MM_BASE_VMAS		21

/*
 * mm_model_init() - create the VMA cache.  Call once before any other
 * function; mm_model_exit() destroys it (every VMA must be freed by then).
 * Return: 0, -ENOMEM.
 */
int mm_model_init(void);
void mm_model_exit(void);

/* mm_init() - an empty mm: its tree, its lock, no census. */
void mm_init(struct mm *mm);

/*
 * mm_build() - fill the empty @mm with @layout's VMAs.
 *
 * The first MM_BASE_VMAS are a small process (executable, heap, two
 * libraries, vvar/vdso, anonymous mappings, stack) with gaps between the
 * groups; the rest are one anonymous region split into one-page VMAs by
 * alternating protections, as a process calling mprotect() on every other
 * page has.  vm_id counts from 0 in the order built: that region first,
 * then the process.
 * Takes @mm's mmap_lock.  Return: 0, -ENOMEM (exit_mmap() frees what was
 * built).
 */
int mm_build(struct mm *mm, const struct mm_layout *layout);

/*
 * dup_strategy_available() - can this subject copy an mm with @strategy?
 * DUP_OLD always; DUP_NEW if the subject has __mt_dup().
 */
bool dup_strategy_available(enum dup_strategy strategy);

/*
 * dup_mmap() - copy @parent's VMAs into the empty @child with @strategy.
 *
 * Takes both mmap_locks (the child's nested).  Whatever it returns, the
 * child must then go through exit_mmap(), as the kernel's mmput() does.
 * Return: 0, -ENOMEM, -EOPNOTSUPP (@strategy not available: the child is
 * left empty).
 */
int dup_mmap(struct mm *child, struct mm *parent, enum dup_strategy strategy);

/*
 * exit_mmap() - free @mm's VMAs up to the first XA_ZERO_ENTRY, then the
 * tree.  Takes @mm's mmap_lock.  @mm is empty (and reusable) afterwards.
 */
void exit_mmap(struct mm *mm);

const char *dup_strategy_name(enum dup_strategy strategy);

/*
 * How the new strategy recovers when phase 2 fails (a VMA copy, or an
 * erase of a VM_DONTCOPY range, finds no memory):
 *   DUP_RECOVER_MARK     6.x: XA_ZERO_ENTRY over the failed range, so that
 *                        exit_mmap() stops before the parent's VMAs
 *   DUP_RECOVER_DESTROY  7.x: the copies made so far are freed and the
 *                        child's tree destroyed before dup_mmap() returns;
 *                        exit_mmap() then finds an empty tree
 * The default follows the subject: DESTROY for a 7.x subject (slab API
 * generation 7), MARK otherwise.
 */
enum dup_recovery {
	DUP_RECOVER_MARK,
	DUP_RECOVER_DESTROY,
};
void dup_set_recovery(enum dup_recovery how);
enum dup_recovery dup_recovery_now(void);

#endif /* FORK_MM_H */
