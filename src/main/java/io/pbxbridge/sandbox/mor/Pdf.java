package io.pbxbridge.sandbox.mor;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A small valid PDF 1.4: one or more A4 pages of Helvetica text lines (a title and rows), with a correct
 * cross-reference table, as the PDF exports of the simulator.
 */
final class Pdf {

    private static final int LINES_PER_PAGE = 60;

    private Pdf() {
    }

    static byte[] of(String title, List<String> lines) {
        List<List<String>> pages = new ArrayList<>();
        List<String> all = new ArrayList<>();
        all.add(title);
        all.add("");
        all.addAll(lines);
        for (int i = 0; i < all.size(); i += LINES_PER_PAGE) {
            pages.add(all.subList(i, Math.min(all.size(), i + LINES_PER_PAGE)));
        }
        int n = pages.size();
        // objects: 1 catalog, 2 pages, 3 font, then per page: page, content
        List<String> objects = new ArrayList<>();
        objects.add("<< /Type /Catalog /Pages 2 0 R >>");
        StringBuilder kids = new StringBuilder();
        for (int p = 0; p < n; p++) {
            kids.append(4 + 2 * p).append(" 0 R ");
        }
        objects.add("<< /Type /Pages /Kids [" + kids.toString().trim() + "] /Count " + n + " >>");
        objects.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
        for (int p = 0; p < n; p++) {
            StringBuilder content = new StringBuilder("BT\n/F1 9 Tf\n12 TL\n40 800 Td\n");
            for (String line : pages.get(p)) {
                content.append('(').append(escape(line)).append(") Tj T*\n");
            }
            content.append("ET\n");
            byte[] c = content.toString().getBytes(StandardCharsets.ISO_8859_1);
            objects.add("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >>"
                    + " /Contents " + (5 + 2 * p) + " 0 R >>");
            objects.add("<< /Length " + c.length + " >>\nstream\n" + content + "endstream");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, "%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n");
        long[] offsets = new long[objects.size()];
        for (int i = 0; i < objects.size(); i++) {
            offsets[i] = out.size();
            write(out, (i + 1) + " 0 obj\n" + objects.get(i) + "\nendobj\n");
        }
        int xref = out.size();
        StringBuilder x = new StringBuilder("xref\n0 " + (objects.size() + 1) + "\n0000000000 65535 f \n");
        for (long o : offsets) {
            x.append(String.format("%010d 00000 n \n", o));
        }
        x.append("trailer\n<< /Size ").append(objects.size() + 1).append(" /Root 1 0 R >>\nstartxref\n").append(xref)
                .append("\n%%EOF\n");
        write(out, x.toString());
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(' || c == ')' || c == '\\') {
                b.append('\\').append(c);
            } else if (c >= 0x20 && c <= 0xff) {
                b.append(c);
            } else {
                b.append('?');
            }
        }
        return b.toString();
    }
}
