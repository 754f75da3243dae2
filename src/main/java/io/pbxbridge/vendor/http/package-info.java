/**
 * The HTTP transport of the HTTP-based vendor components: {@link io.pbxbridge.vendor.http.VendorHttpClient} sends
 * each {@link io.pbxbridge.vendor.http.VendorHttpRequest} once and turns failures into the vendor's exceptions
 * through its {@link io.pbxbridge.vendor.http.VendorHttpFailures}; a component keeps its clients in
 * {@link io.pbxbridge.vendor.VendorComponent#client}.
 */
package io.pbxbridge.vendor.http;
