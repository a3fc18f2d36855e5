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
#include <thread>
#include <unordered_map>
#include <vector>

namespace coproduce::web {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

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
    acceptor_.close(ec);
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
    net::dispatch(stream_.get_executor(), beast::bind_front_handler(&Session::do_read, shared_from_this()));
  }

  // Runs on the session's strand: closes the connection unless a request is
  // being received or handled.
  void close_if_idle() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      if (!self->busy_ && !(self->parser_ && self->parser_->got_some())) self->close();
    });
  }

 private:
  void do_read() {
    if (server_.stopping_) return close();
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
};

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
