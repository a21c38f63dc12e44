import Hummingbird

/// The page: one HTML file, its style sheet and its JavaScript modules, compiled into the binary.
enum ExplorerAssets {
    /// Path, contents and media type of each file.
    static let files: [(path: String, bytes: [UInt8], type: String)] = [
        ("/", PackageResources.index_html, "text/html; charset=utf-8"),
        ("explorer.css", PackageResources.explorer_css, "text/css; charset=utf-8"),
        ("explorer.js", PackageResources.explorer_js, "text/javascript; charset=utf-8"),
        ("page.js", PackageResources.page_js, "text/javascript; charset=utf-8"),
        ("specs.js", PackageResources.specs_js, "text/javascript; charset=utf-8"),
        ("sums-plot.js", PackageResources.sums_plot_js, "text/javascript; charset=utf-8"),
    ]

    static func add(to router: Router<BasicRequestContext>) {
        for file in files {
            let response = Response(status: .ok, headers: [.contentType: file.type, .cacheControl: "no-cache"],
                                    body: .init(byteBuffer: ByteBuffer(bytes: file.bytes)))
            router.get(RouterPath(file.path)) { _, _ in response }
        }
    }
}
