;; Grows memory a page at a time forever: grows past the cap return -1, every grow is charged.
(module
  (memory (export "memory") 1)
  (func (export "run") (loop $l (drop (memory.grow (i32.const 1))) (br $l))))
