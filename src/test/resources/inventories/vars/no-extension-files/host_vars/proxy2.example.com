haproxy_maxconn: 8192
