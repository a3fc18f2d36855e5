#include "web/server.h"

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/version.hpp>
#include <csignal>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

namespace coproduce::web {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

// While stopping, how long a connection that has not sent its first request
// yet is given to send it.
constexpr std::chrono::milliseconds kFirstRequestWait{1500};

std::string request_id() {
  static std::atomic<uint64_t> counter{0};
  static const uint64_t start = static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  char buf[32];
  std::snprintf(buf, sizeof buf, "%08llx-%06llx", static_cast<unsigned long long>(start & 0xffffffff),
                static_cast<unsigned long long>(++counter));
  return buf;
}

}  // namespace

class Server::Impl {
 public:
  Impl(ServerConfig config, Handler handler)
      : config_(std::move(config)),
        handler_(std::move(handler)),
        ioc_(config_.threads),
        acceptor_(net::make_strand(ioc_)),
        signals_(ioc_),
        grace_timer_(ioc_) {}

  class Session;

  Status listen() {
    beast::error_code ec;
    auto address = net::ip::make_address(config_.host, ec);
    if (ec) return InvalidInput("'" + config_.host + "' is not an IP address to listen on");
    tcp::endpoint endpoint{address, config_.port};
    std::string where = config_.host + ":" + std::to_string(config_.port);
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec) return Unavailable("could not listen on " + where + ": " + ec.message());
    return Status::Ok();
  }

  unsigned short port() const { return acceptor_.local_endpoint().port(); }

  void run() {
    if (config_.handle_signals) {
      signals_.add(SIGTERM);
      signals_.add(SIGINT);
      signals_.async_wait([this](beast::error_code ec, int) {
        if (!ec) begin_stop();
      });
    }
    do_accept();
    std::vector<std::thread> threads;
    for (int i = 1; i < config_.threads; ++i) threads.emplace_back([this] { ioc_.run(); });
    ioc_.run();
    for (auto& t : threads) t.join();
  }

  void stop() {
    net::post(ioc_, [this] { begin_stop(); });
  }

  // Called on the io_context when a stop begins.
  void begin_stop() {
    if (stopping_.exchange(true)) return;
    beast::error_code ec;
    net::dispatch(acceptor_.get_executor(), [this] { take_queued_and_close(); });
    signals_.cancel(ec);
    grace_timer_.expires_after(config_.shutdown_grace);
    grace_timer_.async_wait([this](beast::error_code e) {
      if (!e) ioc_.stop();  // requests still running after the grace period are cut off
    });
    close_idle_sessions();
    maybe_finish();
  }

  void maybe_finish() {
    std::lock_guard lock(mu_);
    if (stopping_ && sessions_.empty()) {
      net::post(ioc_, [this] { grace_timer_.cancel(); });
    }
  }

  // On the acceptor's strand: connections the kernel has queued but not yet
  // handed over would be reset when the listener closes, after their
  // client may have sent a request; they are taken and served first.
  void take_queued_and_close();

  void close_idle_sessions();
  void do_accept();

  void add_session(Session* s, std::weak_ptr<Session> w) {
    std::lock_guard lock(mu_);
    sessions_[s] = std::move(w);
  }
  void remove_session(Session* s) {
    {
      std::lock_guard lock(mu_);
      sessions_.erase(s);
    }
    if (stopping_) maybe_finish();
  }

  ServerConfig config_;
  Handler handler_;
  net::io_context ioc_;
  tcp::acceptor acceptor_;
  net::signal_set signals_;
  net::steady_timer grace_timer_;
  std::atomic<bool> stopping_{false};
  std::mutex mu_;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions_;
};

class Server::Impl::Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, Impl& server) : stream_(std::move(socket)), server_(server) {
    beast::error_code ec;
    auto ep = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_ = ep.address().to_string();
  }
  ~Session() { server_.remove_session(this); }

  void start() {
    server_.add_session(this, weak_from_this());
    net::dispatch(stream_.get_executor(), beast::bind_front_handler(&Session::do_read_first, shared_from_this()));
  }
  // For a connection taken from the queue while stopping: it reads its one
  // request, with the same short wait as a fresh idle one.
  void start_while_stopping() {
    start();
    close_if_idle();
  }

  // Runs on the session's strand: closes the connection unless a request is
  // being received or handled.
  //
  // A connection that has not carried a request yet was very likely opened
  // for one that is on its way (a proxy such as nginx opens one a request,
  // and cannot send a POST elsewhere once it has sent it): it gets a moment
  // for that request, which is answered and the connection closed. One
  // kept alive after answering is closed at once; its client opens another.
  void close_if_idle() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      if (self->busy_ || (self->parser_ && self->parser_->got_some())) return;
      if (self->answered_ > 0) return self->close();
      self->linger_.emplace(self->stream_.get_executor());
      self->linger_->expires_after(kFirstRequestWait);
      self->linger_->async_wait([self](beast::error_code ec) {
        if (!ec && !self->busy_ && !(self->parser_ && self->parser_->got_some())) self->close();
      });
    });
  }

 private:
  // The first read of a connection goes ahead while stopping: that request
  // may already be on its way (see close_if_idle).
  void do_read_first() { read_next(); }

  void do_read() {
    if (server_.stopping_) return close();
    read_next();
  }

  void read_next() {
    busy_ = false;
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(server_.config_.header_limit));
    parser_->body_limit(server_.config_.body_limit);
    stream_.expires_after(server_.config_.request_timeout);
    http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Session::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == net::error::operation_aborted ||
        ec == net::error::connection_reset || ec == net::error::eof) {
      return close();
    }
    busy_ = true;
    if (ec) {
      // The request could not be read: answer once, then close.
      int status = 400;
      std::string message = "The request could not be understood.";
      if (ec == http::error::body_limit) {
        status = 413;
        message = "The request is too large.";
      } else if (ec == http::error::header_limit) {
        status = 431;
        message = "The request headers are too large.";
      }
      Response r = Response::text(status, message + "\n");
      return send(std::move(r), false, false, 11);
    }
    http::request<http::string_body> req = parser_->release();
    Request request;
    request.method = std::string(req.method_string());
    request.target = std::string(req.target());
    request.remote_address = remote_;
    request.request_id = request_id();
    for (const auto& field : req) {
      std::string name(field.name_string());
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      auto [it, inserted] = request.headers.emplace(name, std::string(field.value()));
      if (!inserted) it->second += (name == "cookie" ? "; " : ", ") + std::string(field.value());
    }
    request.secure = request.header("x-forwarded-proto") == "https";
    if (!server_.config_.trusted_proxies.empty())
      request.remote_address = client_address(remote_, request.header("x-forwarded-for"), server_.config_.trusted_proxies);
    request.body = std::move(req.body());
    bool keep_alive = req.keep_alive();
    bool head = req.method() == http::verb::head;
    unsigned version = req.version();

    Response response;
    if (!parse_target(request)) {
      response = Response::text(400, "The address is not valid.\n");
      keep_alive = false;
    } else {
      try {
        response = server_.handler_(request);
      } catch (const std::exception&) {
        response = Response::text(500, "Something went wrong.\n");
      }
    }
    send(std::move(response), keep_alive, head, version);
  }

  void send(Response r, bool keep_alive, bool head, unsigned version) {
    auto res = std::make_shared<http::response<http::string_body>>(static_cast<http::status>(r.status), version);
    res->set(http::field::server, "coproduce");
    for (auto& [name, value] : r.headers) res->insert(name, value);
    size_t length = r.body.size();
    if (!head) res->body() = std::move(r.body);
    res->keep_alive(keep_alive && !server_.stopping_);
    res->content_length(length);
    stream_.expires_after(server_.config_.request_timeout);
    http::async_write(stream_, *res,
                      [self = shared_from_this(), res](beast::error_code ec, std::size_t) {
                        ++self->answered_;
                        if (ec || !res->keep_alive()) return self->close();
                        self->do_read();
                      });
  }

  void close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.socket().close(ec);
  }

  beast::tcp_stream stream_;
  Impl& server_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::string remote_;
  bool busy_ = false;
  int answered_ = 0;                          // responses sent on this connection
  std::optional<net::steady_timer> linger_;  // while stopping, the wait for a first request
};

void Server::Impl::take_queued_and_close() {
  beast::error_code ec;
  acceptor_.cancel(ec);
  acceptor_.non_blocking(true, ec);
  while (!ec) {
    tcp::socket socket(net::make_strand(ioc_));
    acceptor_.accept(socket, ec);
    if (!ec) std::make_shared<Session>(std::move(socket), *this)->start_while_stopping();
  }
  acceptor_.close(ec);
}

void Server::Impl::close_idle_sessions() {
  std::vector<std::shared_ptr<Session>> live;
  {
    std::lock_guard lock(mu_);
    for (auto& [raw, weak] : sessions_) {
      if (auto s = weak.lock()) live.push_back(std::move(s));
    }
  }
  for (auto& s : live) s->close_if_idle();
}

void Server::Impl::do_accept() {
  acceptor_.async_accept(net::make_strand(ioc_), [this](beast::error_code ec, tcp::socket socket) {
    if (stopping_) return;
    if (!ec) std::make_shared<Session>(std::move(socket), *this)->start();
    if (ec == net::error::operation_aborted) return;
    do_accept();
  });
}

Server::Server(ServerConfig config, Handler handler)
    : impl_(std::make_unique<Impl>(std::move(config), std::move(handler))) {}
Server::~Server() = default;
Status Server::listen() { return impl_->listen(); }
unsigned short Server::port() const { return impl_->port(); }
void Server::run() { impl_->run(); }
void Server::stop() { impl_->stop(); }

}  // namespace coproduce::web
