import Hummingbird

/// The page: one HTML file with its script and style sheet, compiled into the binary.
enum ExplorerAssets {
    static func add(to router: Router<BasicRequestContext>) {
        router.get("/") { _, _ in Response.asset(PackageResources.index_html, type: "text/html; charset=utf-8") }
        router.get("explorer.js") { _, _ in Response.asset(PackageResources.explorer_js, type: "text/javascript; charset=utf-8") }
        router.get("explorer.css") { _, _ in Response.asset(PackageResources.explorer_css, type: "text/css; charset=utf-8") }
    }
}

extension Response {
    fileprivate static func asset(_ bytes: [UInt8], type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type, .cacheControl: "no-cache"], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
