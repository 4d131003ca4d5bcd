#!/bin/sh
# A bureau's own certificate authority and a server certificate signed by it, for a central store
# on an internal network without a public certificate. Usage:
#     deploy/make-certificates.sh DIR NAME [IP]
# writes DIR/bureau-ca.pem (give this file to every commissioner: `commissioner login --ca-file`),
# DIR/bureau-ca.key (keep it offline; it signs the next server certificate), DIR/server.pem and
# DIR/server.key (for nginx or Caddy). NAME is the server's DNS name, IP an optional address.
# An existing CA in DIR is reused, so a renewed server certificate keeps the clients' trust.
set -eu
dir=$1
name=$2
ip=${3:-}
umask 077
mkdir -p "$dir"
if [ ! -f "$dir/bureau-ca.key" ]; then
    openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -sha256 -days 3650 \
        -subj "/CN=Field Commissioner bureau CA" \
        -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
        -addext "keyUsage=critical,keyCertSign,cRLSign" \
        -keyout "$dir/bureau-ca.key" -out "$dir/bureau-ca.pem" 2>/dev/null
fi
san="DNS:$name"
if [ -n "$ip" ]; then san="$san,IP:$ip"; fi
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -sha256 \
    -subj "/CN=$name" -keyout "$dir/server.key" -out "$dir/server.csr" 2>/dev/null
printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=%s\nauthorityKeyIdentifier=keyid\nsubjectKeyIdentifier=hash\n' "$san" > "$dir/server.ext"
openssl x509 -req -in "$dir/server.csr" -CA "$dir/bureau-ca.pem" -CAkey "$dir/bureau-ca.key" \
    -CAcreateserial -sha256 -days 825 -extfile "$dir/server.ext" -out "$dir/server.pem" 2>/dev/null
rm -f "$dir/server.csr" "$dir/server.ext"
chmod 0644 "$dir/bureau-ca.pem" "$dir/server.pem"
echo "CA certificate for the clients: $dir/bureau-ca.pem"
echo "server certificate and key:     $dir/server.pem $dir/server.key"
