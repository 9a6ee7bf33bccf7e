#!/usr/bin/env bash
# Build a bondaudit release from one commit.
#
#   packaging/release.sh [-o DIR] [-a ARCH]... [REV]
#
# REV (default HEAD) is cloned into a scratch folder and built there, so a
# release is exactly one commit: uncommitted changes are never shipped, and
# go build stamps the binary's build information from git, which is what
# "bondaudit --version" prints (internal/version reads only that, no
# -ldflags -X): the module version (the tag at REV, else a pseudo-version
# such as v0.0.0-20261203143000-90d1563abcde), the commit and its time.
# (A git worktree's .git is a file, which go build does not recognise: it
# would stamp nothing. The clone also gets that right.)
#
# For each ARCH (default: amd64 arm64), into DIR (default: ./dist):
#   bondaudit-VERSION-linux-ARCH        static binary: CGO_ENABLED=0, -trimpath
#   bondaudit_DEBVERSION_ARCH.deb       nfpm (go tool nfpm) with packaging/nfpm.yaml:
#                                       the binary, systemd units, man pages,
#                                       bash/zsh/fish completions, postinst
# and SHA256SUMS of them all (check: cd DIR && sha256sum -c SHA256SUMS).
#
# Needs git and the Go toolchain of go.mod; nothing else (nfpm is a Go tool
# of the module, the man pages come from the commands: cmd/bondaudit/gendocs.go, internal/clidocs).
# SOURCE_DATE_EPOCH is the commit's time, so the man pages and the packages'
# file times do not depend on when the script ran.
set -euo pipefail

usage() {
	echo "usage: $0 [-o DIR] [-a ARCH]... [REV]" >&2
	exit 2
}

out=dist
arches=()
while getopts "o:a:h" opt; do
	case $opt in
	o) out=$OPTARG ;;
	a) arches+=("$OPTARG") ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -le 1 ] || usage
rev=${1:-HEAD}
[ ${#arches[@]} -gt 0 ] || arches=(amd64 arm64)

here=$(cd "$(dirname "$0")" && pwd)
repo=$(git -C "$here" rev-parse --show-toplevel)
commit=$(git -C "$repo" rev-parse --verify --quiet "$rev^{commit}") || {
	echo "release: $rev is not a commit of $repo" >&2
	exit 2
}
if [ -n "$(git -C "$repo" status --porcelain --untracked-files=no)" ] && [ "$rev" = HEAD ]; then
	echo "release: note: uncommitted changes in $repo are not in the release (it builds $commit)" >&2
fi
mkdir -p "$out"
out=$(cd "$out" && pwd)

work=$(mktemp -d "${TMPDIR:-/tmp}/bondaudit-release.XXXXXX")
trap 'rm -rf "$work"' EXIT

src=$work/src
git clone --quiet --shared --no-checkout "$repo" "$src"
git -C "$src" -c advice.detachedHead=false checkout --quiet "$commit"
SOURCE_DATE_EPOCH=$(git -C "$src" log -1 --format=%ct "$commit")
export SOURCE_DATE_EPOCH
cd "$src"

# -buildvcs=true on the command line: a GOFLAGS=-buildvcs=false in the
# environment must not leave the release unstamped.
build() { # build OUTPUT GOARCH [go build flags...]
	local o=$1 arch=$2
	shift 2
	CGO_ENABLED=0 GOOS=linux GOARCH=$arch go build -trimpath -buildvcs=true "$@" -o "$o" ./cmd/bondaudit
}

# Man pages and completions, from a build for this machine with the
# gen-docs entry point (-tags gendocs; not in the released binaries).
build "$work/gendocs" "$(go env GOHOSTARCH)" -tags gendocs
"$work/gendocs" gen-docs "$work/docs"
gzip -9n "$work/docs"/man1/*.1

go build -o "$work/nfpm" github.com/goreleaser/nfpm/v2/cmd/nfpm

version=
files=()
for arch in "${arches[@]}"; do
	bin=$work/bin-$arch/bondaudit
	build "$bin" "$arch" -ldflags "-s -w"
	v=$(go version -m "$bin" | awk '$1 == "mod" { print $3 }')
	case $v in
	v*) ;;
	*)
		echo "release: the $arch binary has no module version stamped (got \"$v\")" >&2
		exit 1
		;;
	esac
	[ -z "$version" ] || [ "$version" = "$v" ] || {
		echo "release: versions differ: $version, $v" >&2
		exit 1
	}
	version=$v
	name=bondaudit-$version-linux-$arch
	cp "$bin" "$out/$name"
	files+=("$name")

	stage=$work/stage-$arch
	mkdir -p "$stage"
	cp "$bin" "$stage/bondaudit"
	cp "$src/packaging/bondaudit.service" "$src/packaging/bondaudit.timer" "$src/packaging/bondaudit.cron" \
		"$src/packaging/postinst" "$src/packaging/prerm" "$src/packaging/postrm" "$src/LICENSE" "$stage/"
	cp -r "$work/docs/man1" "$stage/man"
	cp -r "$work/docs/completions" "$stage/completions"
	if [ -f "$src/docs/run.example.yaml" ]; then
		cp "$src/docs/run.example.yaml" "$stage/run.yaml"
	fi
	before=$(ls "$out")
	(cd "$stage" && GOARCH=$arch BONDAUDIT_VERSION=$version "$work/nfpm" package --config "$src/packaging/nfpm.yaml" --packager deb --target "$out/" >/dev/null)
	deb=$(comm -13 <(echo "$before") <(ls "$out") | grep '\.deb$')
	files+=("$deb")
done

(cd "$out" && sha256sum "${files[@]}" >SHA256SUMS)
echo "bondaudit $version ($commit) in $out:"
for f in "${files[@]}" SHA256SUMS; do echo "  $f"; done
