// A county system calling fazhi from Java: API key, TLS checked against a CA
// file, a streamed import with per-row results, a year's study summary, the
// report's DOCX, paging to the end, and errors with their field violations.
//
//   run.sh import  --org=ORG --file=sessions.jsonl [--batch=500]
//   run.sh summary --org=ORG --year=2024
//   run.sh list    --org=ORG --year=2024 [--page_size=50]
//   run.sh compose --org=ORG --year=2024 --out=report.docx
//
// Connection (every command): --study=HOST:PORT, --gateway=HOST:PORT (or
// $FAZHI_STUDY_TARGET, $FAZHI_GATEWAY_TARGET), the API key in $FAZHI_API_KEY
// or --api_key_file=FILE, and --ca_file=PEM (the CA that signed the server's
// certificate) or --plaintext for a development server on loopback.
package fazhi.example;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import com.google.rpc.BadRequest;
import com.google.type.Date;
import fazhi.gateway.v1.AnnualReportServiceGrpc;
import fazhi.gateway.v1.Gateway.ComposeReportRequest;
import fazhi.gateway.v1.Gateway.ComposedReport;
import fazhi.gateway.v1.Gateway.Rendering;
import fazhi.study.v1.Study.GetStudySummaryRequest;
import fazhi.study.v1.Study.ImportSessionsRequest;
import fazhi.study.v1.Study.ListSessionsRequest;
import fazhi.study.v1.Study.ListSessionsResponse;
import fazhi.study.v1.Study.Session;
import fazhi.study.v1.Study.StudySummary;
import fazhi.study.v1.StudyServiceGrpc;
import fazhi.type.v1.Import.FieldError;
import fazhi.type.v1.Import.ImportMode;
import fazhi.type.v1.Import.ImportReport;
import fazhi.type.v1.Import.ImportRowResult;
import io.grpc.CallCredentials;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

public final class FazhiClient {
  private static final long DEADLINE_SECONDS = 120;

  private final Map<String, String> flags;
  private final ChannelCredentials channelCredentials;
  private final CallCredentials apiKey;

  private FazhiClient(Map<String, String> flags) throws IOException {
    this.flags = flags;
    this.channelCredentials = channelCredentials(flags);
    this.apiKey = new ApiKeyCredentials(apiKey(flags));
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      System.err.println("usage: FazhiClient import|summary|list|compose --flag=value...");
      System.exit(2);
    }
    try {
      FazhiClient client = new FazhiClient(parseFlags(args));
      switch (args[0]) {
        case "import" -> client.importSessions();
        case "summary" -> client.summary();
        case "list" -> client.list();
        case "compose" -> client.compose();
        default -> {
          System.err.println("unknown command " + args[0]);
          System.exit(2);
        }
      }
    } catch (StatusRuntimeException e) {
      printError(e);
      System.exit(1);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
    }
  }

  // --- Connection: TLS (or plaintext on loopback) and the API key on every call.

  private static ChannelCredentials channelCredentials(Map<String, String> flags)
      throws IOException {
    if (flags.containsKey("plaintext")) {
      return InsecureChannelCredentials.create();
    }
    String ca = flags.getOrDefault("ca_file", System.getenv("FAZHI_CA_FILE"));
    if (ca == null) {
      // The JVM's trusted roots.
      return TlsChannelCredentials.create();
    }
    return TlsChannelCredentials.newBuilder().trustManager(new File(ca)).build();
  }

  private static String apiKey(Map<String, String> flags) throws IOException {
    String file = flags.get("api_key_file");
    String key = file != null ? Files.readString(Path.of(file)) : System.getenv("FAZHI_API_KEY");
    if (key == null || key.isBlank()) {
      throw new IllegalArgumentException("no API key: set FAZHI_API_KEY or --api_key_file");
    }
    return key.strip();
  }

  /** Sends `authorization: Bearer <key>` with every call. */
  private static final class ApiKeyCredentials extends CallCredentials {
    private static final Metadata.Key<String> AUTHORIZATION =
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private final String key;

    ApiKeyCredentials(String key) {
      this.key = key;
    }

    @Override
    public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
      Metadata headers = new Metadata();
      headers.put(AUTHORIZATION, "Bearer " + key);
      applier.apply(headers);
    }

    @Override
    public void thisUsesUnstableApi() {}
  }

  private ManagedChannel channel(String service) {
    String target = flags.getOrDefault(service,
        System.getenv("FAZHI_" + service.toUpperCase() + "_TARGET"));
    if (target == null) {
      throw new IllegalArgumentException("no address: --" + service + "=HOST:PORT");
    }
    return Grpc.newChannelBuilder(target, channelCredentials).build();
  }

  private String org() {
    return "orgs/" + required("org");
  }

  // --- import: one client stream, a message per batch; every rejected row printed.

  private void importSessions() throws Exception {
    int batchSize = Integer.parseInt(flags.getOrDefault("batch", "500"));
    ManagedChannel channel = channel("study");
    try {
      var stub = StudyServiceGrpc.newStub(channel).withCallCredentials(apiKey)
          .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
      CompletableFuture<ImportReport> done = new CompletableFuture<>();
      StreamObserver<ImportSessionsRequest> requests = stub.importSessions(
          new StreamObserver<ImportReport>() {
            @Override
            public void onNext(ImportReport report) {
              done.complete(report);
            }

            @Override
            public void onError(Throwable t) {
              done.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {}
          });
      // The first message names the organization and the options; upsert by
      // external id makes a second run of the same file change nothing.
      ImportSessionsRequest.Builder batch = ImportSessionsRequest.newBuilder()
          .setParent(org()).setMode(ImportMode.IMPORT_MODE_UPSERT);
      try (BufferedReader rows =
               Files.newBufferedReader(Path.of(required("file")), StandardCharsets.UTF_8)) {
        for (String line; (line = rows.readLine()) != null;) {
          if (line.isBlank()) {
            continue;
          }
          Session.Builder session = Session.newBuilder();
          JsonFormat.parser().merge(line, session);
          batch.addSessions(session);
          if (batch.getSessionsCount() == batchSize) {
            requests.onNext(batch.build());
            batch = ImportSessionsRequest.newBuilder();
          }
        }
      } catch (IOException | RuntimeException e) {
        requests.onError(e);
        throw e;
      }
      if (batch.getSessionsCount() > 0) {
        requests.onNext(batch.build());
      }
      requests.onCompleted();
      ImportReport report;
      try {
        report = done.get();
      } catch (ExecutionException e) {
        throw (StatusRuntimeException) e.getCause();
      }
      for (ImportRowResult row : report.getResultsList()) {
        if (row.getCode() == 0) {
          continue;
        }
        System.out.printf("row %d (external id %s): %s: %s%n", row.getRow(), row.getExternalId(),
            Status.fromCodeValue(row.getCode()).getCode(), row.getMessage());
        for (FieldError field : row.getFieldErrorsList()) {
          System.out.printf("  field %s: %s%n", field.getField(), field.getDescription());
        }
      }
      System.out.printf("imported: %d received, %d stored, %d rejected in %d batches%n",
          report.getRowsReceived(), report.getRowsStored(), report.getRowsRejected(),
          report.getBatchesReceived());
    } finally {
      channel.shutdownNow();
    }
  }

  // --- summary: the year's study facts.

  private void summary() throws InterruptedException {
    ManagedChannel channel = channel("study");
    try {
      StudySummary summary = StudyServiceGrpc.newBlockingStub(channel)
          .withCallCredentials(apiKey).withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
          .getStudySummary(GetStudySummaryRequest.newBuilder().setOrg(org())
              .setYear(Integer.parseInt(required("year"))).build());
      System.out.printf("summary %s %d: %d sessions, %d minutes, %d attendances, "
              + "head attended %d%n", summary.getOrg(), summary.getYear(),
          summary.getTotalSessions(), summary.getTotalMinutes(), summary.getAttendances(),
          summary.getHeadAttendedSessions());
      for (var kind : summary.getByKindList()) {
        System.out.printf("  %s: %d sessions, %d minutes%n", kind.getKind(), kind.getSessions(),
            kind.getMinutes());
      }
    } finally {
      channel.shutdownNow();
    }
  }

  // --- list: every page until next_page_token is empty.

  private void list() {
    ManagedChannel channel = channel("study");
    try {
      var stub = StudyServiceGrpc.newBlockingStub(channel).withCallCredentials(apiKey);
      ListSessionsRequest.Builder request = ListSessionsRequest.newBuilder().setParent(org())
          .setYear(Integer.parseInt(flags.getOrDefault("year", "0")))
          .setPageSize(Integer.parseInt(flags.getOrDefault("page_size", "50")));
      int pages = 0;
      int sessions = 0;
      do {
        ListSessionsResponse page = stub.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
            .listSessions(request.build());
        pages++;
        for (Session session : page.getSessionsList()) {
          sessions++;
          Date date = session.getDate();
          System.out.printf("session %s %04d-%02d-%02d %s%n", session.getName(), date.getYear(),
              date.getMonth(), date.getDay(), session.getTitle());
        }
        System.out.printf("page %d: %d sessions%n", pages, page.getSessionsCount());
        request.setPageToken(page.getNextPageToken());
      } while (!request.getPageToken().isEmpty());
      System.out.printf("listed %d sessions in %d pages%n", sessions, pages);
    } finally {
      channel.shutdownNow();
    }
  }

  // --- compose: the gateway composes the report; the DOCX is saved after its
  // SHA-256 is checked.

  private void compose() throws IOException, NoSuchAlgorithmException {
    ManagedChannel channel = channel("gateway");
    try {
      ComposedReport report = AnnualReportServiceGrpc.newBlockingStub(channel)
          .withCallCredentials(apiKey).withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
          .composeReport(ComposeReportRequest.newBuilder().setOrg(org())
              .setYear(Integer.parseInt(required("year"))).addFormats("docx").build());
      Rendering docx = report.getRenderings(0);
      byte[] content = docx.getContent().toByteArray();
      String sha256 =
          HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
      if (!sha256.equals(docx.getSha256())) {
        throw new IOException("the DOCX's SHA-256 is " + sha256 + ", the gateway said "
            + docx.getSha256());
      }
      Path out = Path.of(required("out"));
      Files.write(out, content);
      System.out.printf("report %s: %s%n", report.getReport(), report.getTitle());
      System.out.printf("saved %s: %d bytes, sha256 %s%n", out, content.length, sha256);
    } finally {
      channel.shutdownNow();
    }
  }

  // --- errors: the status code, and each field the server named in the
  // google.rpc.BadRequest inside grpc-status-details-bin.

  private static void printError(StatusRuntimeException e) {
    Status status = e.getStatus();
    System.out.printf("error: %s: %s%n", status.getCode(), status.getDescription());
    com.google.rpc.Status details = StatusProto.fromThrowable(e);
    if (details == null) {
      return;
    }
    for (Any detail : details.getDetailsList()) {
      if (!detail.is(BadRequest.class)) {
        continue;
      }
      try {
        for (var violation : detail.unpack(BadRequest.class).getFieldViolationsList()) {
          System.out.printf("  violation %s: %s%n", violation.getField(),
              violation.getDescription());
        }
      } catch (InvalidProtocolBufferException bad) {
        System.out.println("  (undecodable BadRequest: " + bad.getMessage() + ")");
      }
    }
  }

  // --- Flags: --name=value (or --name alone) after the command.

  private static Map<String, String> parseFlags(String[] args) {
    Map<String, String> flags = new HashMap<>();
    for (int i = 1; i < args.length; i++) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("not a flag: " + args[i]);
      }
      String[] parts = args[i].substring(2).split("=", 2);
      flags.put(parts[0], parts.length == 2 ? parts[1] : "");
    }
    return flags;
  }

  private String required(String name) {
    String value = flags.get(name);
    if (value == null) {
      throw new IllegalArgumentException("missing --" + name);
    }
    return value;
  }
}
