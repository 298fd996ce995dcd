;; Exercises every host function; HostApiTest checks each against the state it should touch.
;;   echo(bytes)              returns its input
;;   env()                    returns caller | self | call_value | height | timestamp | balance(caller)
;;   pay(to[32], amount i64)  native transfer from this contract; returns the status as i64
;;   kv_put(slot[32], data)   storage_write
;;   kv_get(slot[32])         returns length (i64, -1 if absent) | the value
;;   kv_del(slot[32])         storage_delete
;;   note(bytes)              emits its input as an event, twice
;; Memory map: 0.. input, 2048.. output.
(module
  (import "env" "input_size" (func $input_size (result i32)))
  (import "env" "input_copy" (func $input_copy (param i32)))
  (import "env" "storage_read" (func $storage_read (param i32 i32 i32) (result i32)))
  (import "env" "storage_write" (func $storage_write (param i32 i32 i32)))
  (import "env" "storage_delete" (func $storage_delete (param i32)))
  (import "env" "caller" (func $caller (param i32)))
  (import "env" "self_address" (func $self (param i32)))
  (import "env" "call_value" (func $call_value (result i64)))
  (import "env" "balance" (func $balance (param i32) (result i64)))
  (import "env" "transfer" (func $transfer (param i32 i64) (result i32)))
  (import "env" "block_height" (func $height (result i64)))
  (import "env" "block_timestamp" (func $timestamp (result i64)))
  (import "env" "emit_event" (func $emit (param i32 i32)))
  (import "env" "set_return" (func $set_return (param i32 i32)))
  (memory (export "memory") 1)

  (func $load_input (result i32)
    (call $input_copy (i32.const 0))
    (call $input_size))

  (func (export "echo")
    (call $set_return (i32.const 0) (call $load_input)))

  (func (export "env")
    (call $caller (i32.const 2048))
    (call $self (i32.const 2080))
    (i64.store (i32.const 2112) (call $call_value))
    (i64.store (i32.const 2120) (call $height))
    (i64.store (i32.const 2128) (call $timestamp))
    (i64.store (i32.const 2136) (call $balance (i32.const 2048)))
    (call $set_return (i32.const 2048) (i32.const 96)))

  (func (export "pay")
    (drop (call $load_input))
    (i64.store (i32.const 2048) (i64.extend_i32_u (call $transfer (i32.const 0) (i64.load (i32.const 32)))))
    (call $set_return (i32.const 2048) (i32.const 8)))

  (func (export "kv_put")
    (local $n i32)
    (local.set $n (call $load_input))
    (call $storage_write (i32.const 0) (i32.const 32) (i32.sub (local.get $n) (i32.const 32))))

  (func (export "kv_get")
    (local $n i32)
    (drop (call $load_input))
    (local.set $n (call $storage_read (i32.const 0) (i32.const 2056) (i32.const 4096)))
    (i64.store (i32.const 2048) (i64.extend_i32_s (local.get $n)))
    (call $set_return (i32.const 2048)
      (i32.add (i32.const 8) (select (local.get $n) (i32.const 0) (i32.ge_s (local.get $n) (i32.const 0))))))

  (func (export "kv_del")
    (drop (call $load_input))
    (call $storage_delete (i32.const 0)))

  (func (export "note")
    (local $n i32)
    (local.set $n (call $load_input))
    (call $emit (i32.const 0) (local.get $n))
    (call $emit (i32.const 0) (local.get $n))))
