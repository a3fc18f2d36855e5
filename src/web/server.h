// The HTTP server: Boost.Beast underneath, the project's Request and Response
// on top.
//
// Reading and writing are asynchronous, so a slow client holds no thread; a
// handler runs on one of the server's threads until it returns. On SIGTERM or
// SIGINT the server stops accepting, lets requests in flight finish (up to a
// grace period), closes idle connections and returns from run().
#ifndef COPRODUCE_WEB_SERVER_H_
#define COPRODUCE_WEB_SERVER_H_

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "web/http.h"

namespace coproduce::web {

struct ServerConfig {
  std::string host = "127.0.0.1";
  unsigned short port = 8080;  // 0 picks a free port
  int threads = 4;
  size_t header_limit = 16 * 1024;
  size_t body_limit = 16 * 1024 * 1024;
  std::chrono::seconds request_timeout{30};  // to receive a whole request, or to send a response
  std::chrono::seconds shutdown_grace{20};
  bool handle_signals = true;
  // Addresses of proxies in front (nginx) whose X-Forwarded-For is believed
  // for the client's address (client_address in http.h).
  std::vector<std::string> trusted_proxies;
};

class Server {
 public:
  // `handler` is called concurrently from several threads and must not throw
  // (the server answers 500 if it does).
  using Handler = std::function<Response(Request&)>;
  Server(ServerConfig config, Handler handler);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens. Fails with a message naming the address when it is in use.
  Status listen();
  // The bound port (useful when the config asked for 0).
  unsigned short port() const;
  // Serves until stop() or a signal; returns when the last request is done.
  void run();
  // Starts a graceful stop; safe from any thread.
  void stop();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace coproduce::web

#endif  // COPRODUCE_WEB_SERVER_H_
