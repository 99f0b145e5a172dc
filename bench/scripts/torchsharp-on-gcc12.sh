#!/usr/bin/env bash
# Lets TorchSharp 0.107's native glue load on a system whose libstdc++ is GCC 12's (Debian 12:
# GLIBCXX_3.4.30). Run by the bench's build (-p:TorchSharp=true) on the build output's copy of
# libLibTorchSharp.so; the NuGet cache is left alone.
#
# Why this and not a newer libstdc++: libLibTorchSharp.so needs exactly one GCC 13 symbol,
# std::ios_base_library_init() (GLIBCXX_3.4.32), which GCC 13 emits from <iostream> as an empty
# marker; libtorch itself needs only 3.4.26. Debian 13's libstdc++ needs glibc 2.38, Debian 12 has
# 2.36. So: the version requirement is marked weak (VER_FLG_WEAK: the loader then accepts a
# libstdc++ without it) and a one-line library supplies the symbol under that version.
# Nothing to do where the system libstdc++ has GLIBCXX_3.4.32. Needs g++, patchelf and python3.
set -euo pipefail
native="${1:?usage: $0 <folder holding libLibTorchSharp.so>}"
glue="$native/libLibTorchSharp.so"
shim=libgcc13-ios-base-shim.so
[ -f "$glue" ] || { echo "torchsharp-on-gcc12: no $glue" >&2; exit 0; }
system_libstdcxx=$(ldconfig -p | awk '/libstdc\+\+\.so\.6 .*x86-64/ {print $NF; exit}')
if [ -n "$system_libstdcxx" ] && grep -q GLIBCXX_3.4.32 "$system_libstdcxx"; then
  exit 0
fi
for tool in g++ patchelf python3; do
  command -v "$tool" >/dev/null || { echo "torchsharp-on-gcc12: $tool is missing (apt-get install -y g++ patchelf python3); TorchSharp will not load" >&2; exit 0; }
done
if patchelf --print-needed "$glue" | grep -qx "$shim"; then
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf 'namespace std { void ios_base_library_init() {} }\n' > "$work/shim.cpp"
printf 'GLIBCXX_3.4.32 { global: _ZSt21ios_base_library_initv; local: *; };\n' > "$work/shim.map"
g++ -shared -fPIC -O2 -Wl,--version-script="$work/shim.map" -Wl,-soname,"$shim" -o "$native/$shim" "$work/shim.cpp"

python3 - "$glue" GLIBCXX_3.4.32 <<'PY'
# Sets VER_FLG_WEAK (2) on the named vernaux entry of an ELF64 little-endian object.
import struct, sys
path, wanted = sys.argv[1], sys.argv[2].encode()
data = bytearray(open(path, 'rb').read())
shoff, = struct.unpack_from('<Q', data, 0x28)
shentsize, shnum = struct.unpack_from('<HH', data, 0x3A)
sections = [struct.unpack_from('<IIQQQQIIQQ', data, shoff + i * shentsize) for i in range(shnum)]
marked = 0
for s in sections:
    if s[1] != 0x6ffffffe:  # SHT_GNU_verneed
        continue
    strings = sections[s[6]][4]
    entry = s[4]
    for _ in range(s[7]):
        _, count, _, aux, following = struct.unpack_from('<HHIII', data, entry)
        at = entry + aux
        for _ in range(count):
            _, flags, _, name, step = struct.unpack_from('<IHHII', data, at)
            start = strings + name
            if data[start:data.index(b'\0', start)] == wanted:
                struct.pack_into('<H', data, at + 4, flags | 2)
                marked += 1
            at += step
        entry += following
if marked != 1:
    sys.exit(f"torchsharp-on-gcc12: expected one {wanted.decode()} requirement in {path}, found {marked}")
open(path, 'wb').write(data)
PY
patchelf --add-needed "$shim" "$glue"
echo "torchsharp-on-gcc12: $glue now loads on this libstdc++ (GLIBCXX_3.4.32 weak, std::ios_base_library_init from $shim)"
