# Helpers shared by the infra scripts (sourced, not run).

# A free loopback TCP port, as the OS hands it out.
free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }

# Two distinct free loopback ports, space-separated.
two_free_ports() {
  local a b
  a="$(free_port)"; b="$(free_port)"
  while [[ "$a" == "$b" ]]; do b="$(free_port)"; done
  echo "$a $b"
}

# True when STAMP holds the sha1 of FILE: what FILE describes is installed already.
installed_from() { [[ -f "$2" && "$(cat "$2")" == "$(sha1sum "$1" | cut -d' ' -f1)" ]]; }

# Records that what FILE describes is installed, in STAMP.
mark_installed_from() { sha1sum "$1" | cut -d' ' -f1 > "$2"; }
