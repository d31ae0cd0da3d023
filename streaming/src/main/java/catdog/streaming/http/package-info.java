/**
 * The service's HTTP surface (owned by the streaming engineer): {@link catdog.streaming.http.ServiceRoutes}
 * serves liveness, readiness and Prometheus metrics; {@link catdog.streaming.http.HttpServer} binds the
 * routes of every capability (the admin routes are concatenated after the service's own).
 */
package catdog.streaming.http;
