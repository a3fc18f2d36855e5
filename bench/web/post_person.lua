-- wrk script for bench/web/run: each request adds a person through the JSON
-- API (the Authorization header is given on wrk's command line).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"name":"Bench Person","email":"bench-person@example.org","area":"Northfield","consent":true}'
