"""The cached host image (lab/image/build.sh), one per Debian suite, keyed by the content of its recipe."""

import subprocess
import time

from .base import CACHE, IMAGE_REPO, LAB_DIR, LabError, SUITES, file_lock, log, podman, podman_out, tree_hash


def image_ref(suite):
    return f"{IMAGE_REPO}:{suite}-{tree_hash(LAB_DIR / 'image', extra=suite)}"


def ensure_image(suite):
    """The host image of a Debian suite: in the podman store, else imported from the cached tarball,
    else built with debootstrap (lab/image/build.sh). Keyed by a hash of lab/image/ and the suite."""
    if suite not in SUITES:
        raise LabError(f"unknown suite {suite!r}; known: {', '.join(SUITES)}")
    ref = image_ref(suite)
    if podman("image", "exists", ref, check=False).returncode == 0:
        return ref
    with file_lock(f"image-{suite}"):
        if podman("image", "exists", ref, check=False).returncode == 0:
            return ref
        tarball = CACHE / "images" / f"{ref.rsplit(':', 1)[1]}.tar.zst"
        start = time.monotonic()
        if not tarball.exists():
            log(f"building lab image {ref} with debootstrap (once per recipe change; ~1-2 min)")
            logfile = CACHE / "logs" / f"build-{tarball.stem}.log"
            logfile.parent.mkdir(parents=True, exist_ok=True)
            with open(logfile, "wb") as out:
                proc = subprocess.run([str(LAB_DIR / "image" / "build.sh"), suite, str(tarball)],
                                      stdout=out, stderr=subprocess.STDOUT, check=False)
            if proc.returncode != 0:
                tail = logfile.read_text(errors="replace").splitlines()[-25:]
                raise LabError(f"image build failed, log: {logfile}\n" + "\n".join(tail))
            log(f"built {tarball.name} in {time.monotonic() - start:.0f}s")
        podman("import", "--change", 'CMD ["/sbin/init"]', "--change", "STOPSIGNAL=SIGRTMIN+3",
               tarball, ref)
        log(f"imported {ref} in {time.monotonic() - start:.1f}s")
        # Older keys of this suite are dead weight: a recipe change made them unreachable.
        for old in sorted((CACHE / "images").glob(f"{suite}-*.tar.zst")):
            if old != tarball:
                old.unlink()
        prune_images()
    return ref


def prune_images():
    """Remove lab images of older recipes; one still used by a container stays (and goes next time)."""
    current = {image_ref(suite) for suite in SUITES}
    for old in podman_out("images", "--format", "{{.Repository}}:{{.Tag}}", IMAGE_REPO).split():
        if old not in current:
            podman("rmi", old, check=False)
