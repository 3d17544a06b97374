#!/usr/bin/env python3
"""Write the fuzz_elf seed corpus: small images like tests/unit/test_elf.c's.

The valid layout (the unit tests' one): ELF header, three program headers
(PT_NOTE with the Xen PVH entry note, PT_LOAD text R+X at 1 MiB, PT_LOAD
data R+W at 2 MiB with BSS), then the segment bytes. The invalid seeds each
break it in one way, so the fuzzer starts next to every check.
Usage: tests/fuzz/mkseeds_elf.py [DIR]   (default tests/fuzz/corpus/fuzz_elf)
"""
import os
import struct
import sys

PT_LOAD, PT_NOTE = 1, 4
PF_X, PF_W, PF_R = 1, 2, 4
XEN_ELFNOTE_PHYS32_ENTRY = 18
EHDR, PHDR = 64, 56
NOTE_OFF = EHDR + 3 * PHDR
TEXT_OFF, TEXT_LEN, TEXT_GPA = 0x100, 0x40, 0x100000
DATA_OFF, DATA_LEN, DATA_GPA, DATA_MEMSZ = 0x140, 0x20, 0x200000, 0x1000


def ehdr(phnum=3, machine=62, etype=2, cls=2):
    ident = b"\x7fELF" + bytes([cls, 1, 1, 0]) + bytes(8)
    return ident + struct.pack("<HHIQQQIHHHHHH", etype, machine, 1,
                               TEXT_GPA + 0x10, EHDR, 0, 0, EHDR, PHDR,
                               phnum, 0, 0, 0)


def phdr(ptype, flags, off, gpa, filesz, memsz):
    align = 4 if ptype == PT_NOTE else 0x1000
    return struct.pack("<IIQQQQQQ", ptype, flags, off, gpa, gpa, filesz,
                       memsz, align)


def pvh_note(entry, descsz=4):
    desc = struct.pack("<Q", entry)[:descsz]
    return struct.pack("<III", 4, descsz, XEN_ELFNOTE_PHYS32_ENTRY) + \
        b"Xen\0" + desc


def image(entry=TEXT_GPA + 0x10, descsz=4, text_flags=PF_R | PF_X,
          data_gpa=DATA_GPA, **eh):
    note = pvh_note(entry, descsz)
    out = bytearray(DATA_OFF + DATA_LEN)
    hdrs = ehdr(**eh) + \
        phdr(PT_NOTE, PF_R, NOTE_OFF, 0, len(note), len(note)) + \
        phdr(PT_LOAD, text_flags, TEXT_OFF, TEXT_GPA, TEXT_LEN, TEXT_LEN) + \
        phdr(PT_LOAD, PF_R | PF_W, DATA_OFF, data_gpa, DATA_LEN, DATA_MEMSZ)
    out[:len(hdrs)] = hdrs
    out[NOTE_OFF:NOTE_OFF + len(note)] = note
    out[TEXT_OFF:TEXT_OFF + TEXT_LEN] = bytes((0x10 + 3 * i) & 0xff
                                              for i in range(TEXT_LEN))
    out[DATA_OFF:DATA_OFF + DATA_LEN] = bytes(0xC0 ^ i
                                              for i in range(DATA_LEN))
    return bytes(out)


SEEDS = {
    "valid": image(),
    "valid_desc8": image(descsz=8),
    "truncated": image()[:DATA_OFF + 8],
    "short_header": image()[:40],
    "elf32": image(cls=1),
    "not_x86_64": image(machine=3),
    "dyn": image(etype=3),
    "no_phdrs": image(phnum=0),
    "wx_text": image(text_flags=PF_R | PF_W | PF_X),
    "overlap": image(data_gpa=TEXT_GPA + 0x20),
    "entry_outside": image(entry=0x300000),
    "below_load_min": image(data_gpa=0x1000),
}

if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    outdir = sys.argv[1] if len(sys.argv) > 1 else \
        os.path.join(here, "corpus", "fuzz_elf")
    os.makedirs(outdir, exist_ok=True)
    for name, data in SEEDS.items():
        with open(os.path.join(outdir, name + ".seed"), "wb") as f:
            f.write(data)
