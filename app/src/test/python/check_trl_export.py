"""Checks that a file written by `./prefpipe export --format trl` loads as a TRL preference dataset.

Run by hand, never inside the build (it needs the Hugging Face `datasets` package):

    pip install datasets
    python app/src/test/python/check_trl_export.py export.jsonl [--conversational] [--rows N]

It loads the file with `datasets.load_dataset("json", ...)`, the way TRL users load local JSONL, and checks what
TRL's preference trainers require: columns prompt, chosen and rejected in every row, all plain strings (standard form)
or all lists of {"role", "content"} messages (conversational form, replies with the assistant role). It prints the
column types and the row count, and exits non-zero naming the first row that does not fit. When TRL itself is
installed, it also asks TRL's own `is_conversational` which form each row is in.
"""

import argparse
import sys

from datasets import load_dataset

ROLES = {"system", "user", "assistant"}


def check_messages(row, field, index, reply):
    messages = row[field]
    if not isinstance(messages, list) or not messages:
        return f"row {index}: {field} must be a non-empty list of messages, got {type(messages).__name__}"
    for m in messages:
        if set(m) != {"role", "content"} or not isinstance(m["content"], str):
            return f"row {index}: {field} holds a message that is not {{role, content}}: {m}"
        if m["role"] not in ROLES or (reply and m["role"] != "assistant"):
            return f"row {index}: {field} holds a message with role {m['role']!r}"
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file")
    parser.add_argument("--conversational", action="store_true", help="expect the conversational form")
    parser.add_argument("--rows", type=int, help="expected number of rows")
    args = parser.parse_args()

    dataset = load_dataset("json", data_files=args.file, split="train")
    print(f"{args.file}: {dataset.num_rows} rows, features {dataset.features}")
    missing = {"prompt", "chosen", "rejected"} - set(dataset.column_names)
    if missing:
        sys.exit(f"missing columns: {sorted(missing)}")
    if args.rows is not None and dataset.num_rows != args.rows:
        sys.exit(f"expected {args.rows} rows, loaded {dataset.num_rows}")
    try:
        from trl.data_utils import is_conversational
    except ImportError:
        is_conversational = None
    for index, row in enumerate(dataset):
        if is_conversational is not None and is_conversational(row) != args.conversational:
            sys.exit(f"row {index}: TRL's is_conversational says {is_conversational(row)}")
        for field in ("prompt", "chosen", "rejected"):
            if args.conversational:
                error = check_messages(row, field, index, reply=field != "prompt")
            elif not isinstance(row[field], str) or not row[field]:
                error = f"row {index}: {field} must be a non-empty string, got {row[field]!r}"
            else:
                error = None
            if error:
                sys.exit(error)
    form = "conversational" if args.conversational else "standard"
    checked = "" if is_conversational is None else ", confirmed by TRL's is_conversational"
    print(f"ok: a TRL preference dataset in the {form} form{checked}")


if __name__ == "__main__":
    main()
