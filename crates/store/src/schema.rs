//! Table definitions, shared by both backends (see migrations/sqlite and migrations/postgres).

diesel::table! {
    accounts (id) {
        id -> BigInt,
        code -> Text,
        kind -> Text,
        merchant_id -> Nullable<BigInt>,
        balance -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    journal_entries (id) {
        id -> BigInt,
        kind -> Text,
        reference -> Nullable<Text>,
        remark -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    postings (id) {
        id -> BigInt,
        entry_id -> BigInt,
        account_id -> BigInt,
        amount -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    statement_rows (id) {
        id -> BigInt,
        account_id -> BigInt,
        entry_id -> BigInt,
        amount -> BigInt,
        balance_after -> BigInt,
        remark -> Text,
        created_at -> Timestamp,
    }
}

diesel::joinable!(postings -> journal_entries (entry_id));
diesel::joinable!(postings -> accounts (account_id));
diesel::joinable!(statement_rows -> accounts (account_id));
diesel::allow_tables_to_appear_in_same_query!(accounts, journal_entries, postings, statement_rows);

diesel::table! {
    merchants (id) {
        id -> BigInt,
        email -> Text,
        company_name -> Text,
        payment_password_hash -> Text,
        kyb_status -> Text,
        phone -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    operators (id) {
        id -> BigInt,
        merchant_id -> BigInt,
        login_name -> Text,
        display_name -> Text,
        password_hash -> Text,
        phone -> Nullable<Text>,
        status -> Text,
        created_at -> Timestamp,
        role_id -> Nullable<BigInt>,
        password_change_required -> Bool,
        email -> Nullable<Text>,
        kind -> Text,
    }
}

diesel::table! {
    api_clients (app_id) {
        app_id -> Text,
        merchant_id -> BigInt,
        operator_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    api_keys (id) {
        id -> BigInt,
        app_id -> Text,
        algorithm -> Text,
        public_key -> Text,
        created_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::allow_tables_to_appear_in_same_query!(api_clients, operators, api_keys);
diesel::allow_tables_to_appear_in_same_query!(api_clients, merchants);
diesel::allow_tables_to_appear_in_same_query!(api_clients, roles);
diesel::allow_tables_to_appear_in_same_query!(api_keys, merchants);
diesel::allow_tables_to_appear_in_same_query!(api_keys, roles);
diesel::allow_tables_to_appear_in_same_query!(merchants, roles);
diesel::allow_tables_to_appear_in_same_query!(merchants, review_policies, fee_rules);
diesel::allow_tables_to_appear_in_same_query!(accounts, review_policies);
diesel::allow_tables_to_appear_in_same_query!(accounts, fee_rules);

diesel::table! {
    gateway_nonces (app_id, nonce) {
        app_id -> Text,
        nonce -> Text,
        seen_at -> Timestamp,
    }
}

diesel::table! {
    attempt_failures (id) {
        id -> BigInt,
        kind -> Text,
        subject_id -> BigInt,
        ip -> Text,
        pending -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    attempt_locks (kind, subject_id) {
        kind -> Text,
        subject_id -> BigInt,
        locked_until -> Nullable<Timestamp>,
    }
}

diesel::table! {
    rotated_refresh_tokens (refresh_hash) {
        refresh_hash -> Text,
        session_id -> Text,
        rotated_at -> Timestamp,
    }
}

diesel::table! {
    staff (id) {
        id -> BigInt,
        login_name -> Text,
        password_hash -> Text,
        created_at -> Timestamp,
        status -> Text,
    }
}

diesel::table! {
    sessions (id) {
        id -> Text,
        subject_kind -> Text,
        subject_id -> BigInt,
        merchant_id -> Nullable<BigInt>,
        refresh_hash -> Text,
        ip -> Text,
        user_agent -> Text,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    registrations (id) {
        id -> BigInt,
        email -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    captchas (id) {
        id -> Text,
        answer_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    outbox (id) {
        id -> BigInt,
        channel -> Text,
        recipient -> Text,
        subject -> Text,
        body -> Text,
        status -> Text,
        error -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    server_secrets (name) {
        name -> Text,
        value -> Text,
        created_at -> Timestamp,
    }
}

diesel::joinable!(operators -> merchants (merchant_id));
diesel::allow_tables_to_appear_in_same_query!(merchants, operators, accounts);

diesel::table! {
    kyb_applications (merchant_id) {
        merchant_id -> BigInt,
        filing -> Nullable<Text>,
        fund_account -> Nullable<Text>,
        legal_representative -> Nullable<Text>,
        reject_reason -> Nullable<Text>,
        submitted_at -> Nullable<Timestamp>,
        reviewed_at -> Nullable<Timestamp>,
        reviewed_by -> Nullable<BigInt>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    uploads (id) {
        id -> Text,
        merchant_id -> BigInt,
        sha256 -> Text,
        content_type -> Text,
        size -> BigInt,
        original_name -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    micro_deposits (id) {
        id -> BigInt,
        merchant_id -> BigInt,
        bank -> Text,
        account_no -> Text,
        account_name -> Text,
        amount -> BigInt,
        attempts -> Integer,
        status -> Text,
        created_at -> Timestamp,
        confirmed_at -> Nullable<Timestamp>,
        second_amount -> BigInt,
        sent_by_staff -> Bool,
    }
}

diesel::joinable!(kyb_applications -> merchants (merchant_id));
diesel::allow_tables_to_appear_in_same_query!(kyb_applications, merchants);

diesel::table! {
    applications (id) {
        id -> BigInt,
        merchant_id -> BigInt,
        kind -> Text,
        status -> Text,
        total_amount -> BigInt,
        total_fee -> BigInt,
        line_count -> Integer,
        remark -> Text,
        created_by -> BigInt,
        reviewed_by -> Nullable<BigInt>,
        review_remark -> Nullable<Text>,
        reviewed_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        trade_no -> Text,
        review_mode -> Text,
        batch_no -> Nullable<Text>,
    }
}

diesel::table! {
    application_lines (id) {
        id -> BigInt,
        application_id -> BigInt,
        line_no -> Integer,
        payee_kind -> Text,
        payee_account -> Text,
        payee_name -> Text,
        amount -> BigInt,
        fee -> BigInt,
        remark -> Text,
        notify_phone -> Nullable<Text>,
        merchant_order_no -> Nullable<Text>,
        payee_bank -> Nullable<Text>,
        payee_branch -> Nullable<Text>,
        payout_speed -> Nullable<Text>,
        trade_no -> Text,
        status -> Text,
        failure_reason -> Nullable<Text>,
    }
}

diesel::table! {
    sms_codes (id) {
        id -> BigInt,
        operator_id -> BigInt,
        purpose -> Text,
        phone -> Text,
        code_hash -> Text,
        attempts -> Integer,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    idempotency_keys (merchant_id, key) {
        merchant_id -> BigInt,
        key -> Text,
        request_hash -> Text,
        state -> Text,
        response_status -> Nullable<Integer>,
        response_body -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::joinable!(application_lines -> applications (application_id));
diesel::allow_tables_to_appear_in_same_query!(applications, application_lines);

diesel::table! {
    recharge_orders (id) {
        id -> BigInt,
        order_no -> Text,
        merchant_id -> BigInt,
        operator_id -> BigInt,
        bank -> Text,
        amount -> BigInt,
        status -> Text,
        created_at -> Timestamp,
        paid_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    sandbox_bank_notifications (id) {
        id -> BigInt,
        order_no -> Text,
        payload -> Text,
        signature -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        acknowledged_at -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    sandbox_payouts (trade_no) {
        trade_no -> Text,
        account_no -> Text,
        amount -> BigInt,
        due_at -> Timestamp,
        state -> Text,
        return_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    bank_cards (id) {
        id -> BigInt,
        merchant_id -> BigInt,
        bank -> Text,
        branch_code -> Text,
        branch_name -> Text,
        province -> Text,
        city -> Text,
        account_no -> Text,
        account_name -> Text,
        created_by -> BigInt,
        created_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    payouts (id) {
        id -> BigInt,
        application_id -> BigInt,
        merchant_id -> BigInt,
        speed -> Text,
        bank -> Text,
        branch_name -> Text,
        account_no -> Text,
        account_name -> Text,
        amount -> BigInt,
        fee -> BigInt,
        status -> Text,
        due_at -> Timestamp,
        bank_reference -> Nullable<Text>,
        failure_reason -> Nullable<Text>,
        created_at -> Timestamp,
        settled_at -> Nullable<Timestamp>,
        returned_at -> Nullable<Timestamp>,
        trade_no -> Text,
        line_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    contacts (id) {
        id -> BigInt,
        merchant_id -> BigInt,
        kind -> Text,
        name -> Text,
        account -> Text,
        account_type -> Nullable<Text>,
        bank -> Nullable<Text>,
        branch_code -> Nullable<Text>,
        branch_name -> Nullable<Text>,
        phone -> Nullable<Text>,
        remark -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    fee_rules (merchant_id, product) {
        merchant_id -> BigInt,
        product -> Text,
        fixed_fen -> BigInt,
        rate_bp -> Integer,
        min_fen -> BigInt,
        max_fen -> Nullable<BigInt>,
        updated_by -> BigInt,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    merchant_batch_numbers (merchant_id, batch_no) {
        merchant_id -> BigInt,
        batch_no -> Text,
        application_id -> BigInt,
    }
}

diesel::table! {
    merchant_order_numbers (merchant_id, order_no) {
        merchant_id -> BigInt,
        order_no -> Text,
        application_id -> BigInt,
    }
}

diesel::table! {
    roles (id) {
        id -> BigInt,
        merchant_id -> BigInt,
        builtin -> Nullable<Text>,
        name -> Text,
        description -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    role_permissions (role_id, permission) {
        role_id -> BigInt,
        permission -> Text,
    }
}

diesel::table! {
    review_policies (merchant_id, kind) {
        merchant_id -> BigInt,
        kind -> Text,
        mode -> Text,
        updated_by -> BigInt,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(operators -> roles (role_id));
diesel::allow_tables_to_appear_in_same_query!(operators, roles);

diesel::table! {
    session_unlocks (session_id) {
        session_id -> Text,
        until -> Timestamp,
    }
}

diesel::table! {
    operation_log (id) {
        id -> BigInt,
        merchant_id -> Nullable<BigInt>,
        operator_id -> Nullable<BigInt>,
        staff_id -> Nullable<BigInt>,
        action -> Text,
        target -> Text,
        status -> Integer,
        ip -> Text,
        at -> Timestamp,
        prev_hash -> Text,
        hash -> Text,
        seq -> Nullable<BigInt>,
    }
}

diesel::table! {
    operation_log_head (id) {
        id -> Integer,
        hash -> Text,
        seq -> BigInt,
    }
}

diesel::table! {
    security_keys (holder) {
        holder -> Text,
        credential_id -> Text,
        passkey -> Text,
        created_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    webauthn_challenges (id) {
        id -> Text,
        holder -> Text,
        purpose -> Text,
        bound_to -> Text,
        state -> Text,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    recoveries (id) {
        id -> Text,
        kind -> Text,
        merchant_id -> BigInt,
        operator_id -> BigInt,
        verified_at -> Nullable<Timestamp>,
        link_hash -> Nullable<Text>,
        link_sent_at -> Nullable<Timestamp>,
        used_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    email_links (token_hash) {
        token_hash -> Text,
        operator_id -> BigInt,
        purpose -> Text,
        email -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    trades (id) {
        id -> BigInt,
        trade_no -> Text,
        merchant_id -> BigInt,
        app_id -> Nullable<Text>,
        qr_code_id -> Nullable<BigInt>,
        merchant_order_no -> Text,
        subject -> Text,
        amount -> BigInt,
        fee -> BigInt,
        product -> Text,
        mode -> Text,
        status -> Text,
        notify_url -> Nullable<Text>,
        return_url -> Nullable<Text>,
        bank -> Nullable<Text>,
        bank_reference -> Nullable<Text>,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        paid_at -> Nullable<Timestamp>,
        shipped_at -> Nullable<Timestamp>,
        auto_confirm_at -> Nullable<Timestamp>,
        completed_at -> Nullable<Timestamp>,
        settle_after -> Nullable<Timestamp>,
        settled_at -> Nullable<Timestamp>,
        closed_at -> Nullable<Timestamp>,
        refunded -> BigInt,
        refund_count -> Integer,
        held_from_pending -> BigInt,
        fee_from_pending -> BigInt,
    }
}

diesel::table! {
    refunds (id) {
        id -> BigInt,
        refund_no -> Text,
        merchant_id -> BigInt,
        trade_id -> BigInt,
        application_id -> BigInt,
        refund_order_no -> Nullable<Text>,
        batch_no -> Nullable<Text>,
        app_id -> Nullable<Text>,
        amount -> BigInt,
        fee_back -> BigInt,
        from_pending -> Bool,
        status -> Text,
        remark -> Text,
        failure_reason -> Nullable<Text>,
        bank_reference -> Nullable<Text>,
        created_at -> Timestamp,
        finished_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    sandbox_refunds (refund_no) {
        refund_no -> Text,
        trade_no -> Text,
        amount -> BigInt,
        state -> Text,
        due_at -> Timestamp,
        received_at -> Timestamp,
    }
}

diesel::joinable!(refunds -> trades (trade_id));
diesel::allow_tables_to_appear_in_same_query!(refunds, trades);
diesel::allow_tables_to_appear_in_same_query!(payouts, applications);

diesel::table! {
    notify_addresses (merchant_id) {
        merchant_id -> BigInt,
        url -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    gateway_events (id) {
        id -> BigInt,
        event_id -> Text,
        merchant_id -> BigInt,
        kind -> Text,
        trade_no -> Nullable<Text>,
        url -> Nullable<Text>,
        payload -> Text,
        attempts -> Integer,
        next_attempt_at -> Nullable<Timestamp>,
        delivered_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    gateway_deliveries (id) {
        id -> BigInt,
        event_id -> BigInt,
        attempt -> Integer,
        started_at -> Timestamp,
        status -> Nullable<Integer>,
        latency_ms -> BigInt,
        excerpt -> Text,
    }
}

diesel::joinable!(gateway_deliveries -> gateway_events (event_id));
diesel::allow_tables_to_appear_in_same_query!(gateway_events, gateway_deliveries);

diesel::table! {
    qr_codes (id) {
        id -> BigInt,
        code -> Text,
        merchant_id -> BigInt,
        name -> Text,
        amount -> Nullable<BigInt>,
        active -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    product_signings (merchant_id, product) {
        merchant_id -> BigInt,
        product -> Text,
        state -> Text,
        note -> Text,
        applied_by -> Nullable<BigInt>,
        applied_at -> Timestamp,
        decided_by -> Nullable<BigInt>,
        decided_at -> Nullable<Timestamp>,
        reason -> Nullable<Text>,
    }
}

diesel::allow_tables_to_appear_in_same_query!(product_signings, merchants);
