<?php
/*
 * A Monema client API server on PHP's own ext/soap SoapServer (rpc/encoded), for interoperability tests: the SOAP
 * responses and faults are written by PHP, not by pbx-bridge code.
 *
 * Layout of the directory this file runs from (prepared by PhpMonemaServer.java):
 *   pb_tamtam.wsdl   the rpc/encoded WSDL, soap:address pointing at this server
 *   router.php       front controller for `php -S`
 *   state.json       all state, created on first request (accounts, calls, tags, extensions, uploads, sent faxes/SMS);
 *                    replaced atomically on every change (state.json.lock serialises requests)
 *   uploads/         one file per upload session
 *
 * Login demo / demo-secret, credit 50, one fax modem "fax-a", extensions ids 1..20 = numbers 100..119, six calls
 * (ids 5001..5006, 5001 and 5005 recorded) with tags. Costs: SMS 0.05, fax 0.10 per destination. C_makeCall*:
 * source 113 -> BUSY, 114 -> NO_ANSWER, 115 -> NOT_AVAILABLE, other extensions ANSWERED, unknown NO_SUCH_EXTENSION.
 */

const MONEMA_STATE = __DIR__ . '/state.json';
const MONEMA_WSDL = __DIR__ . '/pb_tamtam.wsdl';
const MONEMA_UPLOADS = __DIR__ . '/uploads';
const SMS_COST = 0.05;
const FAX_COST = 0.10;

function monema_initial_state(): array
{
    $now = time();
    $calls = [];
    $tags = [];
    // id, src, dst, duration, disposition, recorded, age (s), ext_src_recorded, ext_dst_recorded, cost, tags
    $rows = [
        [5001, '101', '+34911234567', 125, 'ANSWERED', true, 86400 * 3, true, false, 0.036, ['sales']],
        [5002, '+34600111222', '102', 48, 'ANSWERED', false, 86400 * 2, false, false, 0.0, []],
        [5003, '103', '104', 0, 'NO ANSWER', false, 86400, false, false, 0.0, []],
        [5004, '+442071234567', '101', 0, 'BUSY', false, 7200, false, false, 0.0, ['callback']],
        [5005, '102', '+34600999888', 301, 'ANSWERED', true, 3600, false, false, 0.27, ['vip', 'follow-up']],
        [5006, '104', '+12125551234', 0, 'CANCEL', false, 600, false, false, 0.0, []],
    ];
    $tagId = 900;
    foreach ($rows as $r) {
        $calldate = $now - $r[6];
        $uniqueid = $calldate . '.' . ($r[0] - 4800);
        $calls[] = [
            'id' => $r[0], 'clients_id' => 1001, 'src' => $r[1], 'dst' => $r[2], 'duration' => $r[3],
            'disposition' => $r[4], 'uniqueid' => $uniqueid, 'recorded' => $r[5], 'calldate' => $calldate,
            'accountcode' => 7001, 'cost' => $r[9], 'ext_src_recorded' => $r[7], 'ext_dst_recorded' => $r[8],
        ];
        foreach ($r[10] as $t) {
            $tags[] = ['id' => ++$tagId, 'calls_id' => $r[0], 'clients_id' => 1001, 'tag' => $t, 'uniqueid' => $uniqueid];
        }
    }
    $extensions = [];
    $transfers = [];
    for ($i = 1; $i <= 20; $i++) {
        $extensions[] = ['id' => $i, 'users_id' => 300 + $i, 'clients_id' => 1001, 'extnumber' => 99 + $i];
        $transfers[(string)$i] = ['enabled' => false, 'number' => '', 'is_external' => false];
    }
    return [
        'accounts' => ['demo' => ['password' => 'demo-secret', 'clients_id' => 1001, 'accountcode' => 7001, 'credit' => 50.0]],
        'modems' => ['fax-a'],
        'calls' => $calls,
        'tags' => $tags,
        'extensions' => $extensions,
        'transfers' => $transfers,
        'uploads' => [],
        'sent_faxes' => [],
        'sent_sms' => [],
        'next_call_id' => 5007,
        'next_channel' => 300,
    ];
}

/**
 * Runs $fn(&$state) under an exclusive lock; the state is written back if $fn returns normally (a SoapFault leaves
 * it untouched). Written to a temporary file then renamed, so a reader never sees half a file.
 */
function monema_with_state(callable $fn)
{
    $lock = fopen(MONEMA_STATE . '.lock', 'c');
    if ($lock === false) {
        throw new SoapFault('Server', 'Cannot open state lock');
    }
    try {
        flock($lock, LOCK_EX);
        $json = is_file(MONEMA_STATE) ? file_get_contents(MONEMA_STATE) : '';
        $state = ($json === '' || $json === false) ? monema_initial_state() : json_decode($json, true);
        $result = $fn($state);
        $state['uploads'] = (object)$state['uploads'];
        $state['transfers'] = (object)$state['transfers'];
        $tmp = MONEMA_STATE . '.tmp';
        file_put_contents($tmp, json_encode($state,
            JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES | JSON_PRESERVE_ZERO_FRACTION | JSON_THROW_ON_ERROR));
        rename($tmp, MONEMA_STATE);
        return $result;
    } finally {
        flock($lock, LOCK_UN);
        fclose($lock);
    }
}

function monema_valid_number($n): bool
{
    return is_string($n) && preg_match('/^\+?\d{3,20}$/', $n) === 1;
}

function monema_money(float $v): string
{
    return number_format($v, 2, '.', '');
}

class MonemaService
{
    private function auth(array &$state, $login, $password): array
    {
        $a = $state['accounts'][(string)$login] ?? null;
        if ($a === null || !hash_equals($a['password'], (string)$password)) {
            throw new SoapFault('Client', 'Invalid login or password');
        }
        return $a;
    }

    private function findCall(array &$state, $callId): array
    {
        foreach ($state['calls'] as $c) {
            if ((string)$c['id'] === trim((string)$callId)) {
                return $c;
            }
        }
        throw new SoapFault('Client', "Unknown call $callId");
    }

    private function extensionId(array &$state, $extensionId): string
    {
        $id = trim((string)$extensionId);
        if (!isset($state['transfers'][$id])) {
            throw new SoapFault('Client', "Unknown extension $extensionId");
        }
        return $id;
    }

    private function charge(array &$state, string $login, float $cost): void
    {
        $credit = $state['accounts'][$login]['credit'];
        if ($credit + 1e-9 < $cost) {
            throw new SoapFault('Client', 'Insufficient credit: ' . monema_money($cost) . ' needed, '
                . monema_money($credit) . ' available');
        }
    }

    public function C_getCredit($clientLogin, $clientPassword)
    {
        return monema_with_state(function (&$s) use ($clientLogin, $clientPassword) {
            $a = $this->auth($s, $clientLogin, $clientPassword);
            return (float)$a['credit'];
        });
    }

    public function C_getCalls($clientLogin, $ClientPassword, $dateStart, $dateEnd, $fromId, $type)
    {
        return monema_with_state(function (&$s) use ($clientLogin, $ClientPassword, $dateStart, $dateEnd, $fromId, $type) {
            $a = $this->auth($s, $clientLogin, $ClientPassword);
            $start = self::time($dateStart, false);
            $end = self::time($dateEnd, true);
            $type = strtolower(trim((string)$type));
            if ($type !== '' && !in_array($type, ['outgoing', 'incoming', 'internal'], true)) {
                throw new SoapFault('Client', "Invalid call type '$type': expected outgoing, incoming or internal");
            }
            $out = [];
            foreach ($s['calls'] as $c) {
                if ($c['clients_id'] !== $a['clients_id']) continue;
                if (trim((string)$fromId) !== '' && $c['id'] <= (int)$fromId) continue;
                if ($start !== null && $c['calldate'] < $start) continue;
                if ($end !== null && $c['calldate'] > $end) continue;
                if ($type !== '' && self::callType($c) !== $type) continue;
                $out[] = $c;
            }
            usort($out, fn($x, $y) => $x['id'] <=> $y['id']);
            return $out;
        });
    }

    private static function time($value, bool $end): ?int
    {
        $v = trim((string)$value);
        if ($v === '') return null;
        if (ctype_digit($v)) return (int)$v;
        $t = strtotime($v);
        if ($t === false) {
            throw new SoapFault('Client', "Invalid date '$v': expected YYYY-MM-DD HH:MM:SS, YYYY-MM-DD or unix seconds");
        }
        if ($end && strlen($v) === 10) $t += 86399;
        return $t;
    }

    private static function isExtension(string $n): bool
    {
        return preg_match('/^\d{2,5}$/', $n) === 1;
    }

    private static function callType(array $c): string
    {
        $s = self::isExtension($c['src']);
        $d = self::isExtension($c['dst']);
        if ($s && $d) return 'internal';
        if ($s) return 'outgoing';
        return $d ? 'incoming' : 'external';
    }

    public function C_getCallTags($clientLogin, $ClientPassword, $callId)
    {
        return monema_with_state(function (&$s) use ($clientLogin, $ClientPassword, $callId) {
            $this->auth($s, $clientLogin, $ClientPassword);
            $call = $this->findCall($s, $callId);
            return array_values(array_filter($s['tags'], fn($t) => $t['calls_id'] === $call['id']));
        });
    }

    private function placeCall(&$s, $clientLogin, $clientPassword, $SourceExt, $destExt, $variables): array
    {
        $a = $this->auth($s, $clientLogin, $clientPassword);
        $vars = (string)$variables;
        if (preg_match('/^\s*(\{[A-Za-z0-9_.-]+\}="[^"]*"(\s+\{[A-Za-z0-9_.-]+\}="[^"]*")*)?\s*$/', $vars) !== 1) {
            throw new SoapFault('Client', "Invalid variables '$vars': expected {VAR}=\"VALUE\" separated by spaces");
        }
        $src = trim((string)$SourceExt);
        $known = array_map(fn($e) => (string)$e['extnumber'], $s['extensions']);
        if (!in_array($src, $known, true)) {
            return ['ok' => false, 'status' => 'NO_SUCH_EXTENSION', 'uniqueid' => ''];
        }
        $dst = trim((string)$destExt);
        if (!monema_valid_number($dst)) {
            throw new SoapFault('Client', "Invalid destination number '$dst'");
        }
        $status = ['113' => 'BUSY', '114' => 'NO_ANSWER', '115' => 'NOT_AVAILABLE'][$src] ?? 'ANSWERED';
        $now = time();
        $uniqueid = $now . '.' . $s['next_channel']++;
        $s['calls'][] = [
            'id' => $s['next_call_id']++, 'clients_id' => $a['clients_id'], 'src' => $src, 'dst' => $dst,
            'duration' => $status === 'ANSWERED' ? 30 : 0,
            'disposition' => ['ANSWERED' => 'ANSWERED', 'BUSY' => 'BUSY'][$status] ?? 'NO ANSWER',
            'uniqueid' => $uniqueid, 'recorded' => false, 'calldate' => $now, 'accountcode' => $a['accountcode'],
            'cost' => 0.0, 'ext_src_recorded' => false, 'ext_dst_recorded' => false,
        ];
        return ['ok' => true, 'status' => $status, 'uniqueid' => $uniqueid];
    }

    public function C_makeCall($clientLogin, $clientPassword, $SourceExt, $destExt, $variables)
    {
        return monema_with_state(function (&$s) use ($clientLogin, $clientPassword, $SourceExt, $destExt, $variables) {
            return $this->placeCall($s, $clientLogin, $clientPassword, $SourceExt, $destExt, $variables)['ok'];
        });
    }

    public function C_makeCallResponse($clientLogin, $clientPassword, $SourceExt, $destExt, $variables)
    {
        // several output parts: an array keyed by part name, ext/soap writes one accessor per part
        return monema_with_state(function (&$s) use ($clientLogin, $clientPassword, $SourceExt, $destExt, $variables) {
            return $this->placeCall($s, $clientLogin, $clientPassword, $SourceExt, $destExt, $variables);
        });
    }

    public function C_getCallDownloadLink($clientLogin, $clientPassword, $callId)
    {
        return monema_with_state(function (&$s) use ($clientLogin, $clientPassword, $callId) {
            $this->auth($s, $clientLogin, $clientPassword);
            $call = $this->findCall($s, $callId);
            if (!$call['recorded']) {
                throw new SoapFault('Client', "Call $callId was not recorded");
            }
            return 'http://' . $_SERVER['HTTP_HOST'] . '/recordings/' . $call['uniqueid'] . '.wav';
        });
    }

    public function C_getExtensions($clientLogin, $clientPassword)
    {
        return monema_with_state(function (&$s) use ($clientLogin, $clientPassword) {
            $this->auth($s, $clientLogin, $clientPassword);
            return $s['extensions'];
        });
    }

    public function C_enableExtensionTransfer($clientLogin, $clientPassword, $extensionId, $dstNumber, $isExternal)
    {
        return monema_with_state(function (&$s) use ($clientLogin, $clientPassword, $extensionId, $dstNumber, $isExternal) {
            $this->auth($s, $clientLogin, $clientPassword);
            $id = $this->extensionId($s, $extensionId);
            $n = trim((string)$dstNumber);
            if (!monema_valid_number($n)) {
                throw new SoapFault('Client', "Invalid destination number '$n'");
            }
            $s['transfers'][$id] = ['enabled' => true, 'number' => $n, 'is_external' => (bool)$isExternal];
            return true;
        });
    }

    public function C_disableExtensionTransfer($clientLogin, $clientPassword, $extensionId)
    {
        return monema_with_state(function (&$s) use ($clientLogin, $clientPassword, $extensionId) {
            $this->auth($s, $clientLogin, $clientPassword);
            $id = $this->extensionId($s, $extensionId);
            $s['transfers'][$id] = ['enabled' => false, 'number' => '', 'is_external' => false];
            return true;
        });
    }

    public function C_getExtensionTransferStatus($clientLogin, $clientPassword, $extensionId)
    {
        return monema_with_state(function (&$s) use ($clientLogin, $clientPassword, $extensionId) {
            $this->auth($s, $clientLogin, $clientPassword);
            return $s['transfers'][$this->extensionId($s, $extensionId)];
        });
    }

    public function C_sendSMS($clientLogin, $clientPassword, $callerId, $dstNumber, $message)
    {
        return monema_with_state(function (&$s) use ($clientLogin, $clientPassword, $callerId, $dstNumber, $message) {
            $this->auth($s, $clientLogin, $clientPassword);
            $n = trim((string)$dstNumber);
            if (!monema_valid_number($n)) {
                throw new SoapFault('Client', "Invalid destination number '$n'");
            }
            if ((string)$message === '') {
                throw new SoapFault('Client', 'Empty SMS message');
            }
            $this->charge($s, $clientLogin, SMS_COST);
            $s['accounts'][$clientLogin]['credit'] = round($s['accounts'][$clientLogin]['credit'] - SMS_COST, 2);
            $s['sent_sms'][] = ['login' => $clientLogin, 'caller_id' => (string)$callerId, 'dst_number' => $n,
                'message' => (string)$message, 'sent_at' => time()];
            return true;
        });
    }

    public function C_getFaxModems($clientLogin, $clientPassword)
    {
        return monema_with_state(function (&$s) use ($clientLogin, $clientPassword) {
            $this->auth($s, $clientLogin, $clientPassword);
            return $s['modems'];
        });
    }

    public function C_startFaxUpload($clientLogin, $clientPassword)
    {
        return monema_with_state(function (&$s) use ($clientLogin, $clientPassword) {
            $this->auth($s, $clientLogin, $clientPassword);
            $id = bin2hex(random_bytes(16));
            if (!is_dir(MONEMA_UPLOADS)) mkdir(MONEMA_UPLOADS, 0700, true);
            $file = MONEMA_UPLOADS . "/$id.upload";
            touch($file);
            $s['uploads'][$id] = ['login' => $clientLogin, 'file' => $file];
            return $id;
        });
    }

    private function upload(array &$s, $login, $sessionId): array
    {
        $u = $s['uploads'][trim((string)$sessionId)] ?? null;
        if ($u === null || $u['login'] !== $login) {
            throw new SoapFault('Client', "Unknown upload session $sessionId");
        }
        return $u;
    }

    public function C_uploadFaxChunk($clientLogin, $clientPassword, $sessionId, $chunk)
    {
        // xsd:base64Binary: ext/soap hands us the decoded bytes
        return monema_with_state(function (&$s) use ($clientLogin, $clientPassword, $sessionId, $chunk) {
            $this->auth($s, $clientLogin, $clientPassword);
            $u = $this->upload($s, $clientLogin, $sessionId);
            file_put_contents($u['file'], (string)$chunk, FILE_APPEND);
            clearstatcache(true, $u['file']);
            return filesize($u['file']);
        });
    }

    public function C_sendFax($clientLogin, $clientPassword, $sessionId, $faxModem, $destNumbers, $useCover,
                              $coverDestName, $coverDestCompany, $coverDestLocation, $coverDestVoicePhone,
                              $coverDestSubject, $coverDestComments)
    {
        $args = func_get_args();
        return monema_with_state(function (&$s) use ($args) {
            [$login, $password, $sessionId, $modem, $numbers, $useCover] = $args;
            $this->auth($s, $login, $password);
            $sid = trim((string)$sessionId);
            $u = $this->upload($s, $login, $sid);
            if (!in_array((string)$modem, $s['modems'], true)) {
                throw new SoapFault('Client', "Unknown fax modem $modem");
            }
            $destinations = array_map('trim', explode(',', (string)$numbers));
            foreach ($destinations as $d) {
                if (!monema_valid_number($d)) {
                    throw new SoapFault('Client', "Invalid destination number '$d'");
                }
            }
            $cost = FAX_COST * count($destinations);
            $this->charge($s, $login, $cost);
            clearstatcache(true, $u['file']);
            $size = filesize($u['file']);
            if ($size === 0) {
                throw new SoapFault('Client', 'Uploaded document is empty');
            }
            if (file_get_contents($u['file'], false, null, 0, 5) !== '%PDF-') {
                throw new SoapFault('Client', 'Uploaded document is not a PDF');
            }
            $s['accounts'][$login]['credit'] = round($s['accounts'][$login]['credit'] - $cost, 2);
            $cover = [];
            foreach (['coverDestName', 'coverDestCompany', 'coverDestLocation', 'coverDestVoicePhone',
                         'coverDestSubject', 'coverDestComments'] as $i => $name) {
                if ($args[6 + $i] !== null) $cover[$name] = (string)$args[6 + $i];
            }
            $s['sent_faxes'][] = [
                'session_id' => $sid, 'login' => $login, 'modem' => (string)$modem, 'destinations' => $destinations,
                'use_cover' => (bool)$useCover, 'cover' => (object)$cover, 'document' => $u['file'],
                'bytes' => $size, 'sha256' => hash_file('sha256', $u['file']), 'sent_at' => time(),
            ];
            unset($s['uploads'][$sid]);
            return true;
        });
    }
}

function monema_handle_soap(): void
{
    ini_set('soap.wsdl_cache_enabled', '0');
    $server = new SoapServer(MONEMA_WSDL, ['cache_wsdl' => WSDL_CACHE_NONE, 'soap_version' => SOAP_1_1]);
    $server->setClass('MonemaService');
    $server->handle();
}
