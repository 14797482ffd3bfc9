#!/usr/bin/env python3
"""Prints the README's weight table from the generated pallets/*/src/weights.rs: each call's
measured weight at its worst case (every component at its maximum), with the runtime's ParityDB
database weights (read 8 µs, write 50 µs), in µs of reference time and KiB of proof size."""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
PALLETS = ["meta-accounts", "threshold-signers", "ephemeral-addresses", "intents", "audit-anchors"]
READ_PS, WRITE_PS = 8_000_000, 50_000_000

FN = re.compile(r"((?:\t/// `\w+` in `\[\d+, \d+\]`\.\n)*)\tfn (\w+)\(([^)]*)\) -> Weight \{\n(.*?)\n\t\}", re.S)
RANGE = re.compile(r"`(\w+)` in `\[(\d+), (\d+)\]`")


def num(text):
    return int(text.replace("_", ""))


def worst_case(ranges, body):
    maxima = {name: int(hi) for name, _, hi in ranges}
    ref, proof = 0, 0
    base = re.search(r"Weight::from_parts\(([\d_]+), (\d+)\)", body)
    ref, proof = num(base.group(1)), int(base.group(2))
    for slope, comp in re.findall(r"Weight::from_parts\(([\d_]+), 0\)\.saturating_mul\((\w+)\.into", body):
        ref += num(slope) * maxima[comp]
    for slope, comp in re.findall(r"Weight::from_parts\(0, (\d+)\)\.saturating_mul\((\w+)\.into", body):
        proof += int(slope) * maxima[comp]
    for kind, count in re.findall(r"DbWeight::get\(\)\.(reads|writes)\((\d+)\)\)", body):
        ref += int(count) * (READ_PS if kind == "reads" else WRITE_PS)
    for kind, slope, comp in re.findall(r"DbWeight::get\(\)\.(reads|writes)\(\((\d+)_u64\)\.saturating_mul\((\w+)\.into", body):
        ref += int(slope) * maxima[comp] * (READ_PS if kind == "reads" else WRITE_PS)
    return ref, proof, maxima


def main():
    print("| pallet | call | worst case | weight (µs) | proof (KiB) |")
    print("|---|---|---|---:|---:|")
    for pallet in PALLETS:
        text = (ROOT / "pallets" / pallet / "src" / "weights.rs").read_text()
        impl = text[text.index("impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T>"):text.index("impl WeightInfo for ()")]
        for doc, name, _params, body in FN.findall(impl):
            ranges = RANGE.findall(doc)
            ref, proof, maxima = worst_case(ranges, body)
            case = ", ".join(f"{k} = {v}" for k, v in maxima.items()) or "—"
            print(f"| {pallet} | `{name}` | {case} | {ref / 1e6:,.0f} | {proof / 1024:.1f} |")


if __name__ == "__main__":
    sys.exit(main())
