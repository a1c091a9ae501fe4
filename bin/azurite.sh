# Sourced by quickstart.sh and cse4j-bench/e2e.sh (not run on its own): starts the repository's pinned Azurite in
# memory on free loopback ports. After `start_azurite LOG_FILE` (from the repository root): azurite_pid is the
# server's process id (the caller stops it) and AZURE_STORAGE_CONNECTION_STRING is exported. Needs Node.js and npm.

start_azurite() {
  azurite_log=$1
  if [ ! -f node_modules/azurite/dist/src/azurite.js ]; then
    echo "Installing the pinned Azurite (npm ci)"
    npm ci --no-audit --no-fund --loglevel=error || { echo "npm ci failed." >&2; return 1; }
  fi
  blob_port=$(azurite_free_port)
  queue_port=$(azurite_free_port)
  table_port=$(azurite_free_port)
  while [ "$queue_port" = "$blob_port" ]; do queue_port=$(azurite_free_port); done
  while [ "$table_port" = "$blob_port" ] || [ "$table_port" = "$queue_port" ]; do table_port=$(azurite_free_port); done

  echo "Starting Azurite on 127.0.0.1 (blob $blob_port, queue $queue_port, table $table_port)"
  node node_modules/azurite/dist/src/azurite.js --inMemoryPersistence --disableTelemetry --silent \
    --blobHost 127.0.0.1 --blobPort "$blob_port" --queueHost 127.0.0.1 --queuePort "$queue_port" \
    --tableHost 127.0.0.1 --tablePort "$table_port" >"$azurite_log" 2>&1 &
  azurite_pid=$!

  tries=0
  until azurite_port_open "$blob_port" && azurite_port_open "$queue_port" && azurite_port_open "$table_port"; do
    if ! kill -0 "$azurite_pid" 2>/dev/null; then
      cat "$azurite_log" >&2
      echo "Azurite exited during startup." >&2
      return 1
    fi
    tries=$((tries + 1))
    [ "$tries" -le 100 ] || { echo "Azurite did not answer within 30 seconds." >&2; return 1; }
    sleep 0.3
  done

  azurite_key='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='
  AZURE_STORAGE_CONNECTION_STRING="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$azurite_key;BlobEndpoint=http://127.0.0.1:$blob_port/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$queue_port/devstoreaccount1;TableEndpoint=http://127.0.0.1:$table_port/devstoreaccount1;"
  export AZURE_STORAGE_CONNECTION_STRING
}

# Stops the Azurite that start_azurite started, if any.
stop_azurite() {
  if [ -n "${azurite_pid:-}" ]; then
    kill "$azurite_pid" 2>/dev/null || true
    wait "$azurite_pid" 2>/dev/null || true
    azurite_pid=
  fi
}

azurite_free_port() {
  # ask the kernel for a free loopback port
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close();});'
}

azurite_port_open() {
  node -e 'const s=require("net").connect(+process.argv[1],"127.0.0.1");s.on("connect",()=>{s.end();process.exit(0)});s.on("error",()=>process.exit(1));' "$1"
}
