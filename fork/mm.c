// SPDX-License-Identifier: GPL-2.0
/*
 * mm.c: the fork model's address spaces (see mm.h for the layout, the two
 * dup_mmap() strategies and the failure marker).
 *
 * In this file `mm` is the mm being worked on, `parent` and `child` the
 * two sides of dup_mmap(), `vma` a VMA in a tree, `copy` the child's copy
 * of it, and `mas` always a state on the tree being written.
 */
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/xarray.h>
#include <harness.h>
#include "mm.h"

static struct kmem_cache *vma_cachep;	/* every struct vma */

int mm_model_init(void)
{
	if (vma_cachep)
		return 0;
	vma_cachep = kmem_cache_create("vma", sizeof(struct vma), 0, 0, NULL);
	return vma_cachep ? 0 : -ENOMEM;
}

void mm_model_exit(void)
{
	kmem_cache_destroy(vma_cachep);
	vma_cachep = NULL;
}

const char *dup_strategy_name(enum dup_strategy strategy)
{
	return strategy == DUP_NEW ? "new" : "old";
}

bool dup_strategy_available(enum dup_strategy strategy)
{
#ifdef HAVE___MT_DUP
	return true;
#else
	return strategy == DUP_OLD;
#endif
}

void mm_init(struct mm *mm)
{
	mt_init_flags(&mm->mm_mt, MT_FLAGS_ALLOC_RANGE | MT_FLAGS_LOCK_EXTERN);
	init_rwsem(&mm->mmap_lock);
	mt_set_external_lock(&mm->mm_mt, &mm->mmap_lock);
	mm->map_count = 0;
	mm->census = NULL;
}

/* ------------------------------------------------------------ VMAs */

/* Note that VMA @id of @mm was made (or freed), if @mm keeps a census. */
static void census_note(struct mm *mm, unsigned int id, bool freed)
{
	struct vma_census *census = mm->census;

	if (!census || WARN_ON(id >= census->nr))
		return;
	if (freed)
		census->frees[id]++;
	else
		census->allocs[id]++;
}

static struct vma *vma_alloc(struct mm *mm, unsigned int id)
{
	struct vma *vma = kmem_cache_alloc(vma_cachep, GFP_KERNEL);

	if (!vma)
		return NULL;
	vma->vm_mm = mm;
	vma->vm_id = id;
	census_note(mm, id, false);
	return vma;
}

/* The child's copy of @vma: the same fields, owned by @child. */
static struct vma *vma_dup(struct vma *vma, struct mm *child)
{
	struct vma *copy = vma_alloc(child, vma->vm_id);

	if (!copy)
		return NULL;
	*copy = *vma;
	copy->vm_mm = child;
	return copy;
}

static void vma_free(struct vma *vma)
{
	census_note(vma->vm_mm, vma->vm_id, true);
	kmem_cache_free(vma_cachep, vma);
}

/*
 * Aim @mas at @vma's range without restarting the walk, as the kernel's
 * VMA iterator does: a store that lands in the node @mas is on (the next
 * range in order, or the entry just found) then needs no walk from the root.
 */
static void mas_aim_at_vma(struct ma_state *mas, const struct vma *vma)
{
	mas->index = vma->vm_start;
	mas->last = vma->vm_end - 1;
}

/* ---------------------------------------------------------- layout */

/*
 * Where a process's executable, mmap area and stack start: x86-64's, or
 * i386's in a 32-bit build (the extra region ends below the mmap area).
 */
#ifdef CONFIG_64BIT
#define MM_EXEC_BASE		0x555555554000UL
#define MM_MMAP_BASE		0x7ffff7d00000UL
#define MM_STACK_BASE		0x7ffffffde000UL
#else
#define MM_EXEC_BASE		0x56555000UL
#define MM_MMAP_BASE		0xf7d00000UL
#define MM_STACK_BASE		0xffdde000UL
#endif

/*
 * The first MM_BASE_VMAS VMAs: a dynamically linked process as
 * /proc/self/maps shows one, in address order.  A nonzero @start places a
 * VMA there; otherwise it follows the previous one after @gap pages.
 */
static const struct base_vma {
	unsigned long start;		/* address, or 0: after the previous */
	unsigned long gap;		/* pages between the previous and this */
	unsigned long pages;		/* length */
	unsigned long flags;		/* VM_* */
} base_vmas[MM_BASE_VMAS] = {
	/* executable: headers, text, rodata, data */
	{ MM_EXEC_BASE,     0,   1,   VM_READ },
	{ 0,                0,   2,   VM_READ | VM_EXEC },
	{ 0,                0,   1,   VM_READ },
	{ 0,                0,   2,   VM_READ | VM_WRITE },
	/* heap */
	{ 0,                5,   33,  VM_READ | VM_WRITE },
	/* mmap area, growing down: thread-local storage, locale, libc */
	{ MM_MMAP_BASE,     0,   3,   VM_READ | VM_WRITE },
	{ 0,                1,   1,   VM_READ },
	{ 0,                2,   40,  VM_READ },
	{ 0,                0,   405, VM_READ | VM_EXEC },
	{ 0,                0,   88,  VM_READ },
	{ 0,                0,   4,   VM_READ },
	{ 0,                0,   2,   VM_READ | VM_WRITE },
	{ 0,                0,   13,  VM_READ | VM_WRITE },
	/* vvar, vdso */
	{ 0,                8,   4,   VM_READ },
	{ 0,                0,   2,   VM_READ | VM_EXEC },
	/* the dynamic linker */
	{ 0,                1,   1,   VM_READ },
	{ 0,                0,   37,  VM_READ | VM_EXEC },
	{ 0,                0,   8,   VM_READ },
	{ 0,                0,   2,   VM_READ },
	{ 0,                0,   1,   VM_READ | VM_WRITE },
	/* stack */
	{ MM_STACK_BASE,    0,   33,  VM_READ | VM_WRITE | VM_GROWSDOWN },
};

/* Store a new VMA [start, start + pages) with @flags in @mm.  Lock held. */
static int mm_add_vma(struct mm *mm, struct ma_state *mas, unsigned int id,
		      unsigned long start, unsigned long pages,
		      unsigned long flags)
{
	struct vma *vma = vma_alloc(mm, id);
	int i, ret;

	if (!vma)
		return -ENOMEM;
	vma->vm_start = start;
	vma->vm_end = start + pages * MM_PAGE_SIZE;
	vma->vm_flags = flags;
	vma->vm_pgoff = start / MM_PAGE_SIZE;
	for (i = 0; i < VMA_PAYLOAD_WORDS; i++)
		vma->vm_payload[i] = (unsigned long)id * VMA_PAYLOAD_WORDS + i;
	mas_set_range(mas, vma->vm_start, vma->vm_end - 1);
	ret = mas_store_gfp(mas, vma, GFP_KERNEL);
	if (ret) {
		vma_free(vma);
		return ret;
	}
	mm->map_count++;
	return 0;
}

/* The flags of VMA @id: @flags, plus VM_DONTCOPY if @layout asks. */
static unsigned long layout_flags(const struct mm_layout *layout,
				  unsigned int id, unsigned long flags)
{
	if (layout->dontcopy_every &&
	    id % layout->dontcopy_every == layout->dontcopy_every - 1)
		flags |= VM_DONTCOPY;
	return flags;
}

int mm_build(struct mm *mm, const struct mm_layout *layout)
{
	MA_STATE(mas, &mm->mm_mt, 0, 0);
	unsigned long nr_base = min_t(unsigned long, layout->nr_vmas,
				      MM_BASE_VMAS);
	unsigned long nr_extra = layout->nr_vmas - nr_base;
	unsigned long gaps = 0, start = 0, addr, i;
	unsigned int id = 0;
	int ret = 0;

	if (!layout->nr_vmas)
		return -EINVAL;
	if (layout->gap_every)
		gaps = nr_extra / layout->gap_every;

	down_write(&mm->mmap_lock);
	/* The extra region: one page per VMA, read-write and read-only in turn. */
	addr = MM_MMAP_BASE - (nr_extra + gaps + 1) * MM_PAGE_SIZE;
	for (i = 0; i < nr_extra && !ret; i++) {
		unsigned long flags = i & 1 ? VM_READ : VM_READ | VM_WRITE;

		ret = mm_add_vma(mm, &mas, id, addr, 1,
				 layout_flags(layout, id, flags));
		id++;
		addr += MM_PAGE_SIZE;
		if (layout->gap_every && (i + 1) % layout->gap_every == 0)
			addr += MM_PAGE_SIZE;
	}
	/* The process itself. */
	for (i = 0; i < nr_base && !ret; i++) {
		const struct base_vma *b = &base_vmas[i];

		start = b->start ? b->start : start + b->gap * MM_PAGE_SIZE;
		ret = mm_add_vma(mm, &mas, id, start, b->pages,
				 layout_flags(layout, id, b->flags));
		id++;
		start += b->pages * MM_PAGE_SIZE;
	}
	up_write(&mm->mmap_lock);
	return ret;
}

/* ------------------------------------------------------- dup_mmap */

/*
 * The old way: an empty tree in bulk mode, filled in address order.
 * mas_expected_entries() preallocates every node the copy can need, so the
 * stores themselves never allocate; mas_destroy() rebalances the last leaf
 * and gives back what was not used.  On failure the child holds the copies
 * made so far and nothing else.  Both locks held.  (Without
 * mas_expected_entries(), each store allocates what it needs.)
 */
static int dup_mmap_old(struct mm *child, struct mm *parent)
{
	MA_STATE(old_mas, &parent->mm_mt, 0, 0);
	MA_STATE(mas, &child->mm_mt, 0, 0);
	struct vma *vma, *copy;
	int ret = 0;

#ifdef HAVE_MAS_EXPECTED_ENTRIES
	ret = mas_expected_entries(&mas, parent->map_count);
	if (ret)
		return ret;
#endif
	mas_for_each(&old_mas, vma, ULONG_MAX) {
		if (vma->vm_flags & VM_DONTCOPY)
			continue;
		copy = vma_dup(vma, child);
		if (!copy) {
			ret = -ENOMEM;
			break;
		}
		mas_aim_at_vma(&mas, copy);
#ifdef HAVE_MAS_EXPECTED_ENTRIES
		mas_store(&mas, copy);
		if (mas_is_err(&mas)) {
			vma_free(copy);
			ret = -ENOMEM;
			break;
		}
#else
		ret = mas_store_gfp(&mas, copy, GFP_KERNEL);
		if (ret) {
			vma_free(copy);
			break;
		}
#endif
		child->map_count++;
	}
	mas_destroy(&mas);
	return ret;
}

/*
 * The new way, in three phases:
 *  1. __mt_dup() copies the parent's tree: the child's tree now holds the
 *     parent's VMAs.  On failure it frees what it built: the tree is empty.
 *  2. Walking the child's tree, each entry is replaced by its copy (same
 *     range, so the slot is overwritten: nothing to allocate), or erased if
 *     VM_DONTCOPY (the gap may merge with its neighbours: may allocate).
 *  3. On a failure in phase 2, as 6.x does, XA_ZERO_ENTRY goes over the
 *     range that failed, so that exit_mmap() stops before the parent's
 *     VMAs; or, as 7.x does, the copies are freed and the tree destroyed
 *     at once (dup_set_recovery()).
 * Both locks held.
 */
static enum dup_recovery dup_recovery =
	HARNESS_SLAB_API >= 7 ? DUP_RECOVER_DESTROY : DUP_RECOVER_MARK;

void dup_set_recovery(enum dup_recovery how)
{
	dup_recovery = how;
}

enum dup_recovery dup_recovery_now(void)
{
	return dup_recovery;
}

/*
 * dup_unwind() - 7.x's recovery: free the copies below @end (everything
 * before the range that failed is the child's own), then destroy the
 * tree, which still names the parent's VMAs from @end on.  map_count goes
 * back to 0: the child holds nothing.  The child's lock is held.
 */
static void __maybe_unused dup_unwind(struct mm *child, unsigned long end)
{
	MA_STATE(mas, &child->mm_mt, 0, 0);
	struct vma *vma;

	if (end) {
		mas_for_each(&mas, vma, end - 1) {
			WARN_ON(vma->vm_mm != child);
			vma_free(vma);
			child->map_count--;
		}
	}
	WARN_ON(child->map_count);
	__mt_destroy(&child->mm_mt);
	child->map_count = 0;
}

#ifdef HAVE___MT_DUP
static int dup_mmap_new(struct mm *child, struct mm *parent)
{
	MA_STATE(mas, &child->mm_mt, 0, 0);
	struct vma *vma, *copy;
	int ret;

	ret = __mt_dup(&parent->mm_mt, &child->mm_mt, GFP_KERNEL);
	if (ret)
		return ret;

	mas_for_each(&mas, vma, ULONG_MAX) {
		if (vma->vm_flags & VM_DONTCOPY) {
			mas_aim_at_vma(&mas, vma);
			ret = mas_store_gfp(&mas, NULL, GFP_KERNEL);
			if (ret)
				break;
			continue;
		}
		copy = vma_dup(vma, child);
		if (!copy) {
			ret = -ENOMEM;
			break;
		}
		mas_aim_at_vma(&mas, copy);
		mas_store(&mas, copy);
		if (mas_is_err(&mas)) {
			vma_free(copy);
			ret = -ENOMEM;
			break;
		}
		child->map_count++;
	}

	if (ret && dup_recovery == DUP_RECOVER_DESTROY) {
		mas_destroy(&mas);
		dup_unwind(child, vma->vm_start);
		return ret;
	}
	if (ret) {
		/* @vma is the parent's, and still in the child's tree. */
		mas_set_range(&mas, vma->vm_start, vma->vm_end - 1);
		mas_store(&mas, XA_ZERO_ENTRY);
		/* Overwriting one whole entry needs no node. */
		WARN_ON(mas_is_err(&mas));
	}
	mas_destroy(&mas);
	return ret;
}
#else
static int dup_mmap_new(struct mm *child, struct mm *parent)
{
	return -EOPNOTSUPP;	/* no __mt_dup(): dup_strategy_available() */
}
#endif

int dup_mmap(struct mm *child, struct mm *parent, enum dup_strategy strategy)
{
	int ret;

	down_write(&parent->mmap_lock);
	down_write_nested(&child->mmap_lock, SINGLE_DEPTH_NESTING);
	if (strategy == DUP_NEW)
		ret = dup_mmap_new(child, parent);
	else
		ret = dup_mmap_old(child, parent);
	up_write(&child->mmap_lock);
	up_write(&parent->mmap_lock);
	return ret;
}

/* ------------------------------------------------------- exit_mmap */

void exit_mmap(struct mm *mm)
{
	MA_STATE(mas, &mm->mm_mt, 0, 0);
	unsigned long freed = 0;
	struct vma *vma;

	down_write(&mm->mmap_lock);
	mas_for_each(&mas, vma, ULONG_MAX) {
		/* Past the marker, the tree still holds the parent's VMAs. */
		if (xa_is_zero(vma))
			break;
		WARN_ON(vma->vm_mm != mm);
		vma_free(vma);
		freed++;
	}
	/* Every VMA counted in map_count sits before any marker. */
	WARN_ON(freed != mm->map_count);
	__mt_destroy(&mm->mm_mt);
	mm->map_count = 0;
	up_write(&mm->mmap_lock);
}
