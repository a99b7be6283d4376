BEGIN TRANSACTION;
CREATE TABLE cart (
    sale_id INTEGER NOT NULL REFERENCES sale(id),
    sku TEXT NOT NULL,
    quantity INTEGER NOT NULL CHECK (quantity >= 0),
    position INTEGER NOT NULL,
    PRIMARY KEY (sale_id, sku)
);
INSERT INTO "cart" VALUES(1,'8752601815904',1,0);
INSERT INTO "cart" VALUES(1,'8760913909969',2,1);
INSERT INTO "cart" VALUES(1,'8703082462811',0,2);
INSERT INTO "cart" VALUES(2,'8779754323193',2,0);
CREATE TABLE probe (at REAL);
INSERT INTO "probe" VALUES(1.79617623438453340523e+09);
CREATE TABLE sale (
    id INTEGER PRIMARY KEY,
    started_at REAL NOT NULL,
    order_id TEXT,
    order_number TEXT,
    status TEXT NOT NULL DEFAULT 'active',
    note TEXT NOT NULL DEFAULT '{}',
    finished_at REAL
);
INSERT INTO "sale" VALUES(1,1.79617623432920598984e+09,'3b52a311-2586-4b21-8496-fb56167851fc','1000001','done','{"invoice_id": "inv_7756546182994753", "invoice_number": "F2026-000001"}',1.79617623454427504541e+09);
INSERT INTO "sale" VALUES(2,1.79617623454480600363e+09,'1bbf821a-a487-4a7f-96ec-81c534553b5f','1000002','active','{}',NULL);
CREATE TABLE step (
    id INTEGER PRIMARY KEY,
    sale_id INTEGER NOT NULL REFERENCES sale(id),
    kind TEXT NOT NULL,
    intent TEXT NOT NULL,
    result TEXT,
    state TEXT NOT NULL DEFAULT 'sent' CHECK (state IN ('sent', 'done', 'failed')),
    sent_at REAL NOT NULL,
    ended_at REAL
);
INSERT INTO "step" VALUES(1,1,'create_order','{"channel_id": "pos-demo"}','{"order_id": "3b52a311-2586-4b21-8496-fb56167851fc"}','done',1.79617623433654952048e+09,1.7961762343472728729e+09);
INSERT INTO "step" VALUES(2,1,'add_items','{"order_id": "3b52a311-2586-4b21-8496-fb56167851fc", "items": {"8752601815904": 1, "8760913909969": 2, "8703082462811": 1}, "before": {}}','{"units": 4}','done',1.7961762343480877877e+09,1.79617623435896134375e+09);
INSERT INTO "step" VALUES(3,1,'remove_items','{"order_id": "3b52a311-2586-4b21-8496-fb56167851fc", "ids": ["itm_833ba62b6fa844e2"]}','{"units": 3}','done',1.79617623437262511256e+09,1.79617623438281202321e+09);
INSERT INTO "step" VALUES(4,1,'attach_method','{"route": ["pm_pin", "term_front"]}','{}','done',1.79617623438535022736e+09,1.79617623439506101604e+09);
INSERT INTO "step" VALUES(5,1,'create_payment','{"amount": 657, "known": []}','{"payment_id": "pay_3d13a529c377414d"}','done',1.79617623439699101452e+09,1.79617623440075778961e+09);
INSERT INTO "step" VALUES(6,1,'start_terminal','{"payment_id": "pay_3d13a529c377414d"}','{"payment_id": "pay_3d13a529c377414d", "status": "PAID", "paid": true}','done',1.7961762344014966488e+09,1.79617623445545220375e+09);
INSERT INTO "step" VALUES(7,1,'open_order','{"order_id": "3b52a311-2586-4b21-8496-fb56167851fc"}','{"status": "OPEN"}','done',1.79617623445663404462e+09,1.7961762344748320579e+09);
INSERT INTO "step" VALUES(8,1,'invoice','{"ids": ["itm_018587aef3af45a6", "itm_4ba9001b700c472d", "itm_30ec68ee82bd46d8"], "invoice_id": null, "known": []}','{"invoice_id": "inv_7756546182994753", "number": "F2026-000001"}','done',1.79617623453640317919e+09,1.79617623454222726823e+09);
INSERT INTO "step" VALUES(9,2,'create_order','{"channel_id": "pos-demo"}','{"order_id": "1bbf821a-a487-4a7f-96ec-81c534553b5f"}','done',1.79617623454769015315e+09,1.79617623455853199954e+09);
INSERT INTO "step" VALUES(10,2,'add_items','{"order_id": "1bbf821a-a487-4a7f-96ec-81c534553b5f", "items": {"8779754323193": 2}, "before": {}}','{"units": 2}','done',1.79617623456222867965e+09,1.79617623456892466543e+09);
CREATE INDEX step_by_sale ON step (sale_id, kind);
COMMIT;
