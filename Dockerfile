# The harness itself, for CI jobs that `docker run` it against a service
# container: the static binary and an empty working directory, nothing
# else. `make image` builds the binary (CGO off) and this file around it;
# the build context is bin/image, so no Go toolchain is needed here.
#   docker run --rm --network host idpconform run --scim-url http://127.0.0.1:8080/scim/v2
# Without arguments it runs the whole suite against the built-in reference
# target. Reports go to /work/idpconform-report: mount a directory there.
FROM scratch
# The binary, /tmp and /work, both writable by any user (mode 1777): the
# run's scratch files and the reports, whoever docker run -u says runs it.
# COPY of a directory copies its contents, so the parent goes: COPY tmp
# /tmp would make /tmp 0755.
COPY rootfs/ /
WORKDIR /work
USER 65534:65534
ENTRYPOINT ["/idpconform"]
CMD ["run"]
