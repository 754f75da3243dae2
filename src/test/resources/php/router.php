<?php
/*
 * Front controller for PHP's built-in web server: php -S 127.0.0.1:<port> -t <dir> <dir>/router.php
 *   GET  /public_api/pb_tamtam_wsdl.php[?wsdl]  -> the WSDL
 *   POST /public_api/pb_tamtam_wsdl.php         -> SoapServer (monema_server.php)
 *   GET  /recordings/<uniqueid>.wav             -> a short silent WAV for a recorded call
 */
require __DIR__ . '/monema_server.php';

$path = parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
$method = $_SERVER['REQUEST_METHOD'];

if ($path === '/public_api/pb_tamtam_wsdl.php') {
    if ($method === 'POST') {
        monema_handle_soap();
    } elseif ($method === 'GET' || $method === 'HEAD') {
        monema_with_state(function (&$s) { }); // creates state.json on first use
        header('Content-Type: text/xml; charset=utf-8');
        readfile(MONEMA_WSDL);
    } else {
        http_response_code(405);
        header('Allow: GET, HEAD, POST');
    }
    return true;
}

if ($method === 'GET' && preg_match('#^/recordings/([0-9]+\.[0-9]+)\.wav$#', $path, $m)) {
    $recorded = monema_with_state(function (&$s) use ($m) {
        foreach ($s['calls'] as $c) {
            if ($c['uniqueid'] === $m[1] && $c['recorded']) return true;
        }
        return false;
    });
    if ($recorded) {
        $data = str_repeat("\0", 16000); // one second of 8 kHz 16-bit mono silence
        header('Content-Type: audio/x-wav');
        echo 'RIFF' . pack('V', 36 + strlen($data)) . 'WAVE' . 'fmt ' . pack('VvvVVvv', 16, 1, 1, 8000, 16000, 2, 16)
            . 'data' . pack('V', strlen($data)) . $data;
        return true;
    }
}

http_response_code(404);
header('Content-Type: text/html; charset=UTF-8');
echo "<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>\n";
return true;
