#ifndef FAZHI_SERVICES_GATEWAY_HTTP_ROUTES_H_
#define FAZHI_SERVICES_GATEWAY_HTTP_ROUTES_H_

#include "services/common/http_server.h"
#include "services/gateway/gateway_service.h"

namespace fazhi::gateway {

// GET /orgs/{org}/reports/{year}.{docx|html|md|txt}: the composed report as a
// download (the same composition as ComposeReport). ?partial=1 allows a
// draft with missing backends marked.
void AddDownloadRoutes(HttpServer& http, AnnualReportServiceImpl& service);

}  // namespace fazhi::gateway

#endif  // FAZHI_SERVICES_GATEWAY_HTTP_ROUTES_H_
