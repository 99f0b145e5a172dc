#!/usr/bin/env bash
# Checks the libav reader on FFmpeg releases other than the system's. For each version given
# (source package versions: 4.4.2 6.1.1 7.1.5 8.1.2 9.0.2), it builds a minimal shared FFmpeg from
# the source tarball in Debian's pool (Ubuntu's for 4.4.2 and 6.1.1): the decoders, demuxers and
# file protocol the tests use; about 3 min on 2 cores, kept under $ALEXNET_RT_FFMPEG_BUILDS
# (default ~/.cache/alexnet-rt/ffmpeg). Then it compares the struct offsets the reader reads,
# printed by scripts/libav/offsets.c, with those recorded in scripts/libav/offsets/ (which
# LibavLayoutTests compare with src/Capture/Readers/Libav/LibavLayout.cs), and runs the Capture
# and App tests with those libraries first on the library path and ALEXNET_RT_LIBAV naming the
# release (so one older than the system's is taken, and one not found fails the tests). The
# ffmpeg program the tests compare with stays the system's.
# Needs gcc, make, nasm, curl and xz (apt-get install -y build-essential nasm curl xz-utils).
#   scripts/libav/check-ffmpeg.sh 4.4.2 6.1.1 7.1.5 8.1.2 9.0.2
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
builds=${ALEXNET_RT_FFMPEG_BUILDS:-$HOME/.cache/alexnet-rt/ffmpeg}
[ $# -gt 0 ] || { echo "usage: $0 VERSION... (e.g. 4.4.2 6.1.1 7.1.5 8.1.2 9.0.2)" >&2; exit 2; }

build() {
    local version=$1 prefix=$2 source=$builds/src/ffmpeg-$1
    mkdir -p "$builds/src"
    local tarball=$builds/src/ffmpeg_$version.orig.tar.xz
    if [ ! -e "$tarball" ]; then
        # Debian's pool holds the releases of Debian's suites; Ubuntu's holds 4.4 and 6.1 (22.04, 24.04).
        curl -fsSL -o "$tarball.part" "http://deb.debian.org/debian/pool/main/f/ffmpeg/ffmpeg_$version.orig.tar.xz" 2>/dev/null ||
            curl -fsSL -o "$tarball.part" "http://archive.ubuntu.com/ubuntu/pool/universe/f/ffmpeg/ffmpeg_$version.orig.tar.xz" 2>/dev/null ||
            { rm -f "$tarball.part"; echo "no ffmpeg_$version.orig.tar.xz in Debian's or Ubuntu's pool (or no network to them)" >&2; exit 1; }
        mv "$tarball.part" "$tarball"
    fi
    rm -rf "$source" && tar -xf "$tarball" -C "$builds/src"
    echo "building FFmpeg $version in $prefix (log: $builds/build-$version.log)"
    (cd "$source" && ./configure --prefix="$prefix" --enable-shared --disable-static --disable-programs --disable-doc \
        --disable-avdevice --disable-avfilter --disable-autodetect --disable-network --disable-everything \
        --enable-decoder=h264,hevc,mpeg4,mjpeg,vp8,vp9,av1,mpeg2video,rawvideo \
        --enable-parser=h264,hevc,mpeg4video,mjpeg,vp8,vp9,av1,mpegvideo \
        --enable-demuxer=mov,matroska,avi,mpegts,hls,concat,image2,mjpeg,rawvideo,h264,m4v \
        --enable-protocol=file,pipe && make -j"$(nproc)" && make install) > "$builds/build-$version.log" 2>&1 ||
        { echo "FFmpeg $version did not build; the end of $builds/build-$version.log:" >&2; tail -n 15 "$builds/build-$version.log" >&2; exit 1; }
    rm -rf "$source"
}

status=0
for version in "$@"; do
    prefix=$builds/$version
    [ -e "$prefix/lib/pkgconfig/libavformat.pc" ] || build "$version" "$prefix"
    echo "== FFmpeg $version: struct offsets"
    gcc -Wall -Werror -I"$prefix/include" "$root/scripts/libav/offsets.c" -o "$prefix/offsets"
    major=${version%%.*}
    recorded=$root/scripts/libav/offsets/ffmpeg-$major.txt
    if [ -e "$recorded" ]; then
        # LibavLayoutTests hold LibavLayout.cs to these files; this holds the files to the headers.
        if "$prefix/offsets" | diff "$recorded" -; then
            echo "the same as scripts/libav/offsets/ffmpeg-$major.txt"
        else
            echo "FFmpeg $version's offsets differ from scripts/libav/offsets/ffmpeg-$major.txt (above)"
            status=1
        fi
    else
        "$prefix/offsets"
        echo "no scripts/libav/offsets/ffmpeg-$major.txt: FFmpeg $major has no layout in LibavLayout.cs yet"
    fi
    for project in Capture.Tests App.Tests; do
        echo "== FFmpeg $version: tests/$project"
        ALEXNET_RT_LIBAV=$major LD_LIBRARY_PATH="$prefix/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
            dotnet test "$root/tests/$project" -c Release --nologo || status=1
    done
done
exit $status
