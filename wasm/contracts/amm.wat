;; Constant-product AMM pool (x * y = k, 0.3% fee) over two internal reserves: a hotspot by
;; nature, every swap reads and writes both reserve slots (slot 1 = reserve A, slot 2 = reserve B,
;; slots are 32-byte big-endian numbers).
;;   init(reserve_a: i64 LE, reserve_b: i64 LE)
;;   swap_a_for_b(amount_in: i64 LE, min_out: i64 LE)  reverts "slippage"; emits in|out
;;   swap_b_for_a(amount_in: i64 LE, min_out: i64 LE)
;;   reserves()  returns reserve_a | reserve_b (16 bytes LE)
;; Memory map: 0..32 slot 1 key, 32..64 slot 2 key, 64..80 input, 96..112 event/return, 256.. text.
(module
  (import "env" "input_size" (func $input_size (result i32)))
  (import "env" "input_copy" (func $input_copy (param i32)))
  (import "env" "storage_get_i64" (func $get (param i32) (result i64)))
  (import "env" "storage_set_i64" (func $set (param i32 i64)))
  (import "env" "emit_event" (func $emit (param i32 i32)))
  (import "env" "revert" (func $revert (param i32 i32)))
  (import "env" "set_return" (func $set_return (param i32 i32)))
  (memory (export "memory") 1 1)
  (data (i32.const 31) "\01")
  (data (i32.const 63) "\02")
  (data (i32.const 256) "slippage")
  (data (i32.const 272) "bad input")

  (func $read_input
    (if (i32.ne (call $input_size) (i32.const 16))
      (then (call $revert (i32.const 272) (i32.const 9))))
    (call $input_copy (i32.const 64)))

  (func (export "init")
    (call $read_input)
    (call $set (i32.const 0) (i64.load (i32.const 64)))
    (call $set (i32.const 32) (i64.load (i32.const 72))))

  ;; out = reserve_out * in * 997 / (reserve_in * 1000 + in * 997)
  (func $swap (param $in_slot i32) (param $out_slot i32)
    (local $rin i64) (local $rout i64) (local $in i64) (local $out i64) (local $scaled i64)
    (call $read_input)
    (local.set $in (i64.load (i32.const 64)))
    (if (i64.eqz (local.get $in)) (then (call $revert (i32.const 272) (i32.const 9))))
    (local.set $rin (call $get (local.get $in_slot)))
    (local.set $rout (call $get (local.get $out_slot)))
    (local.set $scaled (i64.mul (local.get $in) (i64.const 997)))
    (local.set $out
      (i64.div_u
        (i64.mul (local.get $rout) (local.get $scaled))
        (i64.add (i64.mul (local.get $rin) (i64.const 1000)) (local.get $scaled))))
    (if (i64.lt_u (local.get $out) (i64.load (i32.const 72)))
      (then (call $revert (i32.const 256) (i32.const 8))))
    (call $set (local.get $in_slot) (i64.add (local.get $rin) (local.get $in)))
    (call $set (local.get $out_slot) (i64.sub (local.get $rout) (local.get $out)))
    (i64.store (i32.const 96) (local.get $in))
    (i64.store (i32.const 104) (local.get $out))
    (call $emit (i32.const 96) (i32.const 16)))

  (func (export "swap_a_for_b") (call $swap (i32.const 0) (i32.const 32)))
  (func (export "swap_b_for_a") (call $swap (i32.const 32) (i32.const 0)))

  (func (export "reserves")
    (i64.store (i32.const 96) (call $get (i32.const 0)))
    (i64.store (i32.const 104) (call $get (i32.const 32)))
    (call $set_return (i32.const 96) (i32.const 16))))
