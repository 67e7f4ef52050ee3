#!/usr/bin/env python3
"""Writes docs/api.md, the API reference, from the protos' own comments.

Reads a descriptor set made by
  protoc --include_source_info --include_imports --descriptor_set_out=SET ...
and writes Markdown: every service, method (with its HTTP route), message,
field and enum value of the fazhi packages, in the order the protos declare
them. The build runs it (target api_reference); ctest api_reference fails
when the checked-in docs/api.md differs. Regenerate with
  cmake --build build --target api_reference_update
Needs Debian's python3-protobuf.

Usage: api_reference.py --descriptor_set SET --out FILE [--missing]
(--missing lists, on stderr, each service, method and field without a
comment, and fails when a service or method has none).
"""

import argparse
import re
import sys

from google.protobuf import descriptor_pb2

# The files of the reference, in this order; their own types are documented.
FILES = ["fazhi/gateway/v1/gateway.proto", "fazhi/study/v1/study.proto",
         "fazhi/duty/v1/duty.proto", "fazhi/report/v1/report.proto",
         "fazhi/type/v1/import.proto", "fazhi/type/v1/audit.proto"]

# SourceCodeInfo path tags (descriptor.proto field numbers).
MESSAGE, ENUM, SERVICE = 4, 5, 6
FIELD, NESTED_MESSAGE, NESTED_ENUM = 2, 3, 4
ENUM_VALUE, METHOD = 2, 2
HTTP_RULE = 72295728  # google.api.http

HEADER = """# API reference

Generated from the comments of `protos/fazhi/` by `scripts/api_reference.py`;
do not edit by hand: change the protos and run
`cmake --build build --target api_reference_update`.

How every RPC behaves (names, paging, request ids, etags, imports, errors):
[conventions.md](conventions.md). Each RPC's HTTP/JSON route, served by
every service's HTTP side and by the gateway's for all four services:
[http-json.md](http-json.md).
"""


def comments_of(file_proto):
    found = {}
    for location in file_proto.source_code_info.location:
        text = (location.leading_comments or "") + (location.trailing_comments or "")
        if text.strip():
            found[tuple(location.path)] = text
    return found


def lines_of(text):
    # protoc keeps the space after "//": drop one.
    return [line[1:] if line.startswith(" ") else line for line in text.rstrip().split("\n")]


def block(text):
    """A comment as Markdown: prose joined into paragraphs; indented lines
    (diagrams, examples) kept as they are in a text block."""
    out, prose, code = [], [], []

    def flush():
        if prose:
            out.append(" ".join(prose))
            prose.clear()
        if code:
            out.append("```text\n" + "\n".join(code) + "\n```")
            code.clear()
    for line in lines_of(text):
        if line.startswith("  ") and line.strip():
            if prose:
                flush()
            code.append(line)
        elif not line.strip():
            flush()
        else:
            if code:
                flush()
            prose.append(line.strip())
    flush()
    return "\n\n".join(out)


def cell(text):
    return " ".join(line.strip() for line in lines_of(text) if line.strip()).replace("|", "\\|")


def short(type_name, package):
    name = type_name.lstrip(".")
    return name[len(package) + 1:] if name.startswith(package + ".") else name


LABELS = {descriptor_pb2.FieldDescriptorProto.TYPE_DOUBLE: "double",
          descriptor_pb2.FieldDescriptorProto.TYPE_FLOAT: "float",
          descriptor_pb2.FieldDescriptorProto.TYPE_INT64: "int64",
          descriptor_pb2.FieldDescriptorProto.TYPE_UINT64: "uint64",
          descriptor_pb2.FieldDescriptorProto.TYPE_INT32: "int32",
          descriptor_pb2.FieldDescriptorProto.TYPE_UINT32: "uint32",
          descriptor_pb2.FieldDescriptorProto.TYPE_BOOL: "bool",
          descriptor_pb2.FieldDescriptorProto.TYPE_STRING: "string",
          descriptor_pb2.FieldDescriptorProto.TYPE_BYTES: "bytes"}


def field_type(field, package):
    name = LABELS.get(field.type) or short(field.type_name, package)
    if field.label == descriptor_pb2.FieldDescriptorProto.LABEL_REPEATED:
        return f"repeated {name}"
    return name


def http_routes(method):
    """[('GET', '/v1/...', body), ...] from the google.api.http option (the
    rule, then its additional_bindings), read from the option's wire bytes
    so no annotation module is needed."""
    raw = method.options.SerializeToString()
    rule = _field_bytes(raw, HTTP_RULE)
    if rule is None:
        return []
    routes = []
    for one in [rule] + _all_field_bytes(rule, 11):
        verbs = {2: "GET", 3: "PUT", 4: "POST", 5: "DELETE", 6: "PATCH"}
        for number, verb in verbs.items():
            path = _field_bytes(one, number)
            if path is not None:
                body = _field_bytes(one, 7)
                routes.append((verb, path.decode(), body.decode() if body else ""))
                break
    return routes


def _varint(data, i):
    value, shift = 0, 0
    while True:
        byte = data[i]
        i += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, i


def _field_bytes(data, number):
    """The bytes of length-delimited field `number` of a message's wire bytes."""
    found = _all_field_bytes(data, number)
    return found[0] if found else None


def _all_field_bytes(data, number):
    """The bytes of every occurrence of length-delimited field `number`."""
    found = []
    i = 0
    while i < len(data):
        key, i = _varint(data, i)
        wire = key & 7
        if wire == 0:
            _, i = _varint(data, i)
        elif wire == 1:
            i += 8
        elif wire == 5:
            i += 4
        elif wire == 2:
            length, i = _varint(data, i)
            if key >> 3 == number:
                found.append(data[i:i + length])
            i += length
        else:
            raise ValueError("unexpected wire type")
    return found


class Writer:
    def __init__(self):
        self.out = [HEADER]
        self.missing = []

    def comment(self, comments, path, what, required=False):
        text = comments.get(tuple(path))
        if text is None:
            self.missing.append((what, required))
            return ""
        return text

    def file(self, file_proto):
        package = file_proto.package
        comments = comments_of(file_proto)
        self.out.append(f"## {package}\n\n`protos/{file_proto.name}`\n")
        for si, service in enumerate(file_proto.service):
            self.service(service, package, comments, [SERVICE, si])
        for mi, message in enumerate(file_proto.message_type):
            self.message(message, package, comments, [MESSAGE, mi], message.name)
        for ei, enum in enumerate(file_proto.enum_type):
            self.enum(enum, comments, [ENUM, ei], enum.name)

    def service(self, service, package, comments, path):
        self.out.append(f"### Service {service.name}\n")
        text = self.comment(comments, path, f"{package}.{service.name}", required=True)
        if text:
            self.out.append(block(text) + "\n")
        rows = ["| RPC | HTTP | Request → Response |", "|---|---|---|"]
        for mi, method in enumerate(service.method):
            routes = http_routes(method)
            http = "<br>".join(f"`{verb} {template}`" for verb, template, _ in routes) or "—"
            stream = "stream " if method.client_streaming else ""
            rows.append(f"| [{method.name}](#{service.name.lower()}{method.name.lower()}) | {http} "
                        f"| {stream}{short(method.input_type, package)} → "
                        f"{short(method.output_type, package)} |")
        self.out.append("\n".join(rows) + "\n")
        for mi, method in enumerate(service.method):
            self.out.append(f"#### {service.name}.{method.name}\n")
            stream = "stream " if method.client_streaming else ""
            line = (f"`{stream}{short(method.input_type, package)}` → "
                    f"`{short(method.output_type, package)}`")
            for verb, template, body in http_routes(method):
                line += f" · `{verb} {template}`"
                if body:
                    line += " (body: the whole request)" if body == "*" else f" (body: `{body}`)"
                if method.client_streaming:
                    line += ", JSON Lines"
            self.out.append(line + "\n")
            text = self.comment(comments, path + [METHOD, mi],
                                f"{package}.{service.name}.{method.name}", required=True)
            if text:
                self.out.append(block(text) + "\n")

    def message(self, message, package, comments, path, name):
        self.out.append(f"### {name}\n")
        text = comments.get(tuple(path))
        if text:
            self.out.append(block(text) + "\n")
        if message.field:
            rows = ["| Field | Type | Description |", "|---|---|---|"]
            for fi, field in enumerate(message.field):
                text = self.comment(comments, path + [FIELD, fi], f"{package}.{name}.{field.name}")
                rows.append(f"| `{field.name}` | {field_type(field, package)} | {cell(text)} |")
            self.out.append("\n".join(rows) + "\n")
        else:
            self.out.append("No fields.\n")
        for ni, nested in enumerate(message.nested_type):
            self.message(nested, package, comments, path + [NESTED_MESSAGE, ni],
                         f"{name}.{nested.name}")
        for ei, enum in enumerate(message.enum_type):
            self.enum(enum, comments, path + [NESTED_ENUM, ei], f"{name}.{enum.name}")

    def enum(self, enum, comments, path, name):
        self.out.append(f"### enum {name}\n")
        text = comments.get(tuple(path))
        if text:
            self.out.append(block(text) + "\n")
        rows = ["| Value | Number | Description |", "|---|---|---|"]
        for vi, value in enumerate(enum.value):
            rows.append(f"| `{value.name}` | {value.number} | "
                        f"{cell(comments.get(tuple(path + [ENUM_VALUE, vi]), ''))} |")
        self.out.append("\n".join(rows) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--descriptor_set", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--missing", action="store_true")
    args = parser.parse_args()
    files = descriptor_pb2.FileDescriptorSet()
    with open(args.descriptor_set, "rb") as f:
        files.ParseFromString(f.read())
    by_name = {f.name: f for f in files.file}
    writer = Writer()
    for name in FILES:
        writer.file(by_name[name])
    text = "\n".join(writer.out)
    text = re.sub(r"\n{3,}", "\n\n", text).rstrip() + "\n"
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(text)
    if args.missing and writer.missing:
        print("without a comment:\n  " + "\n  ".join(what for what, _ in writer.missing),
              file=sys.stderr)
        if any(required for _, required in writer.missing):
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
