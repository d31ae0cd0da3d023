/**
 * {@code catdog demo}: the whole product in one command. A fresh embedded broker on a free port with a
 * temporary data dir, the service in-process, the sample images published, one line per prediction, and
 * a last line with the counts, accuracy, latency percentiles and the model that answered.
 */
package catdog.cli.demo;
