#!/usr/bin/python3
"""A county system calling fazhi from Python: API key, TLS checked against a
CA file, a streamed import with per-row results, a year's study summary, the
report's DOCX, paging to the end, and errors with their field violations.

  fazhi_client.py import  --org=ORG --file=sessions.jsonl [--batch=500]
  fazhi_client.py summary --org=ORG --year=2024
  fazhi_client.py list    --org=ORG --year=2024 [--page_size=50]
  fazhi_client.py compose --org=ORG --year=2024 --out=report.docx

Connection (every command): --study=HOST:PORT, --gateway=HOST:PORT (or
$FAZHI_STUDY_TARGET, $FAZHI_GATEWAY_TARGET), the API key in $FAZHI_API_KEY or
--api_key_file=FILE, and --ca_file=PEM (the CA that signed the server's
certificate) or --plaintext for a development server on loopback. The stubs
made by generate.sh must be importable (PYTHONPATH=OUT).
"""

import argparse
import hashlib
import os
import sys

import grpc
from google.protobuf import json_format
from google.rpc import code_pb2, error_details_pb2, status_pb2

from fazhi.gateway.v1 import gateway_pb2, gateway_pb2_grpc
from fazhi.study.v1 import study_pb2, study_pb2_grpc
from fazhi.type.v1 import import_pb2

DEADLINE_SECONDS = 120


def parse_flags():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("import", "summary", "list", "compose"))
    for name in ("study", "gateway"):
        parser.add_argument(f"--{name}", default=os.environ.get(f"FAZHI_{name.upper()}_TARGET"),
                            help=f"the {name} service, HOST:PORT")
    parser.add_argument("--api_key_file", help="a file holding the API key (else $FAZHI_API_KEY)")
    parser.add_argument("--ca_file", default=os.environ.get("FAZHI_CA_FILE"),
                        help="the CA certificate (PEM) the server's certificate is checked against")
    parser.add_argument("--plaintext", action="store_true", help="no TLS (loopback development)")
    parser.add_argument("--org", required=True, help="the organization's id, e.g. lushan-minzheng")
    parser.add_argument("--year", type=int, default=0)
    parser.add_argument("--file", help="import: JSON Lines, one Session per line")
    parser.add_argument("--batch", type=int, default=500, help="import: rows per message")
    parser.add_argument("--page_size", type=int, default=50)
    parser.add_argument("--out", help="compose: where the DOCX goes")
    return parser.parse_args()


# --- Connection: TLS (or plaintext on loopback) and the API key on every call.


def api_key_metadata(flags):
    if flags.api_key_file:
        with open(flags.api_key_file) as f:
            key = f.read().strip()
    else:
        key = os.environ.get("FAZHI_API_KEY", "").strip()
    if not key:
        sys.exit("no API key: set FAZHI_API_KEY or --api_key_file")
    return (("authorization", f"Bearer {key}"),)


def channel(flags, service):
    target = getattr(flags, service)
    if not target:
        sys.exit(f"no address: --{service}=HOST:PORT")
    if flags.plaintext:
        return grpc.insecure_channel(target)
    ca = None
    if flags.ca_file:  # without one: gRPC's trusted roots
        with open(flags.ca_file, "rb") as f:
            ca = f.read()
    return grpc.secure_channel(target, grpc.ssl_channel_credentials(root_certificates=ca))


# --- import: one client stream, a message per batch; every rejected row printed.


def import_batches(flags):
    """The request stream: the first message names the organization and the
    options (upsert by external id: a second run of the same file changes
    nothing), every message carries up to --batch rows."""
    batch = study_pb2.ImportSessionsRequest(parent=f"orgs/{flags.org}",
                                            mode=import_pb2.IMPORT_MODE_UPSERT)
    with open(flags.file, encoding="utf-8") as rows:
        for line in rows:
            if not line.strip():
                continue
            json_format.Parse(line, batch.sessions.add())
            if len(batch.sessions) == flags.batch:
                yield batch
                batch = study_pb2.ImportSessionsRequest()
    if batch.sessions:
        yield batch


def import_sessions(flags, metadata):
    with channel(flags, "study") as ch:
        report = study_pb2_grpc.StudyServiceStub(ch).ImportSessions(
            import_batches(flags), metadata=metadata, timeout=DEADLINE_SECONDS)
    for row in report.results:
        if row.code == 0:
            continue
        print(f"row {row.row} (external id {row.external_id}): {code_pb2.Code.Name(row.code)}: "
              f"{row.message}")
        for field in row.field_errors:
            print(f"  field {field.field}: {field.description}")
    print(f"imported: {report.rows_received} received, {report.rows_stored} stored, "
          f"{report.rows_rejected} rejected in {report.batches_received} batches")


# --- summary: the year's study facts.


def summary(flags, metadata):
    with channel(flags, "study") as ch:
        s = study_pb2_grpc.StudyServiceStub(ch).GetStudySummary(
            study_pb2.GetStudySummaryRequest(org=f"orgs/{flags.org}", year=flags.year),
            metadata=metadata, timeout=DEADLINE_SECONDS)
    print(f"summary {s.org} {s.year}: {s.total_sessions} sessions, {s.total_minutes} minutes, "
          f"{s.attendances} attendances, head attended {s.head_attended_sessions}")
    for kind in s.by_kind:
        print(f"  {study_pb2.StudyKind.Name(kind.kind)}: {kind.sessions} sessions, "
              f"{kind.minutes} minutes")


# --- list: every page until next_page_token is empty.


def list_sessions(flags, metadata):
    request = study_pb2.ListSessionsRequest(parent=f"orgs/{flags.org}", year=flags.year,
                                            page_size=flags.page_size)
    pages = sessions = 0
    with channel(flags, "study") as ch:
        stub = study_pb2_grpc.StudyServiceStub(ch)
        while True:
            page = stub.ListSessions(request, metadata=metadata, timeout=DEADLINE_SECONDS)
            pages += 1
            for session in page.sessions:
                sessions += 1
                d = session.date
                print(f"session {session.name} {d.year:04}-{d.month:02}-{d.day:02} {session.title}")
            print(f"page {pages}: {len(page.sessions)} sessions")
            request.page_token = page.next_page_token
            if not request.page_token:
                break
    print(f"listed {sessions} sessions in {pages} pages")


# --- compose: the gateway composes the report; the DOCX is saved after its
# SHA-256 is checked.


def compose(flags, metadata):
    with channel(flags, "gateway") as ch:
        report = gateway_pb2_grpc.AnnualReportServiceStub(ch).ComposeReport(
            gateway_pb2.ComposeReportRequest(org=f"orgs/{flags.org}", year=flags.year,
                                             formats=["docx"]),
            metadata=metadata, timeout=DEADLINE_SECONDS)
    docx = report.renderings[0]
    sha256 = hashlib.sha256(docx.content).hexdigest()
    if sha256 != docx.sha256:
        sys.exit(f"the DOCX's SHA-256 is {sha256}, the gateway said {docx.sha256}")
    with open(flags.out, "wb") as f:
        f.write(docx.content)
    print(f"report {report.report}: {report.title}")
    print(f"saved {flags.out}: {len(docx.content)} bytes, sha256 {sha256}")


# --- errors: the status code, and each field the server named in the
# google.rpc.BadRequest inside grpc-status-details-bin.


def print_error(error):
    print(f"error: {error.code().name}: {error.details()}")
    for key, value in error.trailing_metadata() or ():
        if key != "grpc-status-details-bin":
            continue
        for detail in status_pb2.Status.FromString(value).details:
            bad_request = error_details_pb2.BadRequest()
            if detail.Unpack(bad_request):
                for v in bad_request.field_violations:
                    print(f"  violation {v.field}: {v.description}")


def main():
    flags = parse_flags()
    metadata = api_key_metadata(flags)
    command = {"import": import_sessions, "summary": summary, "list": list_sessions,
               "compose": compose}[flags.command]
    try:
        command(flags, metadata)
    except grpc.RpcError as error:
        print_error(error)
        sys.exit(1)


if __name__ == "__main__":
    main()
