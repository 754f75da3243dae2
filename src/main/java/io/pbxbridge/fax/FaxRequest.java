package io.pbxbridge.fax;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import io.pbxbridge.monema.FaxCover;
import io.pbxbridge.support.Json;
import io.pbxbridge.support.LogSafe;

/**
 * What to do with one PDF of the outbox: from its sidecar {@code NAME.json}, or else from a file name
 * {@code DIGITS[,DIGITS...]__rest.pdf}.
 *
 * @param destinations destination numbers as written
 * @param modem        fax modem, or null for the account's first
 * @param cover        cover page, or null for none
 * @param sidecar      the sidecar file, or null when the name carried the destinations
 */
public record FaxRequest(List<String> destinations, String modem, FaxCover cover, Path sidecar) {

    /** The operation named in the error report of a job whose sidecar is missing or wrong. */
    static final String SIDECAR = "sidecar";
    /** A sidecar holds numbers and a cover page: more than this is not one. */
    static final long MAX_SIDECAR_BYTES = 1024 * 1024;
    private static final Pattern NAME_DESTINATIONS = Pattern.compile("^(\\+?[0-9]+(?:,\\+?[0-9]+)*)__.*\\.pdf$",
            Pattern.CASE_INSENSITIVE);

    /** The sidecar's JSON form. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Sidecar(List<String> destinations, String modem, Cover cover) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Cover(String name, String company, String location, String voicePhone, String subject, String comments) {
        FaxCover toFaxCover() {
            return new FaxCover(n(name), n(company), n(location), n(voicePhone), n(subject), n(comments));
        }

        private static String n(String s) {
            return s == null ? "" : s;
        }
    }

    static Path sidecarOf(Path pdf) {
        String name = pdf.getFileName().toString();
        return pdf.resolveSibling(name.substring(0, name.length() - 4) + ".json");
    }

    static boolean nameHasDestinations(String fileName) {
        return NAME_DESTINATIONS.matcher(fileName).matches();
    }

    /** Reads the request for {@code pdf}; a problem with the sidecar or name is a {@link FaxJobException}. */
    static FaxRequest of(Path pdf) {
        Path sidecar = sidecarOf(pdf);
        byte[] json;
        try {
            json = Files.exists(sidecar, LinkOption.NOFOLLOW_LINKS) ? read(sidecar) : null;
        } catch (NoSuchFileException e) {
            json = null; // removed a moment ago
        } catch (IOException e) {
            throw badSidecar(sidecar, "cannot be read: " + e.getMessage());
        }
        if (json == null) {
            Matcher m = NAME_DESTINATIONS.matcher(pdf.getFileName().toString());
            if (!m.matches()) {
                throw new FaxJobException(FaxJobException.NO_DESTINATION, SIDECAR, "no destination: there is no"
                        + " sidecar " + name(sidecar) + " and the file name does not start with DIGITS[,DIGITS...]__");
            }
            return new FaxRequest(List.of(m.group(1).split(",")), null, null, null);
        }
        Sidecar s;
        try {
            s = Json.MAPPER.readValue(json, Sidecar.class);
        } catch (MismatchedInputException e) {
            throw badSidecar(sidecar, "is not a valid sidecar: " + Json.problem(e));
        } catch (JsonProcessingException e) {
            throw badSidecar(sidecar, "is not valid JSON: " + Json.problem(e));
        } catch (IOException e) {
            throw badSidecar(sidecar, "cannot be read: " + e.getMessage());
        }
        if (s == null || s.destinations() == null || s.destinations().isEmpty()) {
            throw new FaxJobException(FaxJobException.NO_DESTINATION, SIDECAR, "no destination: the sidecar "
                    + name(sidecar) + " has no \"destinations\" (a list of fax numbers)");
        }
        List<String> destinations = new ArrayList<>();
        for (Object d : s.destinations()) {
            destinations.add(String.valueOf(d));
        }
        String modem = s.modem() == null || s.modem().isBlank() ? null : s.modem();
        return new FaxRequest(destinations, modem, s.cover() != null ? s.cover().toFaxCover() : null, sidecar);
    }

    private static FaxJobException badSidecar(Path sidecar, String what) {
        return new FaxJobException(FaxJobException.BAD_SIDECAR, SIDECAR, "the sidecar " + name(sidecar) + " " + what);
    }

    /** A file's name for a message: it comes from outside. */
    static String name(Path file) {
        return LogSafe.text(file.getFileName());
    }

    /**
     * The sidecar's bytes, unless it is something to refuse rather than read: a symbolic link (to a file from
     * elsewhere), a pipe or device (whose reading may never end), over {@link #MAX_SIDECAR_BYTES}.
     */
    private static byte[] read(Path sidecar) throws IOException {
        if (Files.isSymbolicLink(sidecar)) {
            throw badSidecar(sidecar, "is a symbolic link; links are refused: write the sidecar itself into the outbox");
        }
        if (!Files.isRegularFile(sidecar, LinkOption.NOFOLLOW_LINKS)) {
            throw badSidecar(sidecar, "is not a regular file");
        }
        long size = Files.size(sidecar);
        if (size > MAX_SIDECAR_BYTES) {
            throw badSidecar(sidecar, "is " + size + " bytes, over the limit of " + MAX_SIDECAR_BYTES + " bytes");
        }
        return Files.readAllBytes(sidecar);
    }

    /**
     * Whether the sidecar can be judged now: it parses, or it will never be read (a link, not a regular file, too
     * large), so that a half-written one is not taken for a broken one too early.
     */
    static boolean sidecarReadable(Path sidecar) {
        try {
            byte[] json = read(sidecar);
            return json.length > 0 && Json.MAPPER.readTree(json) != null;
        } catch (FaxJobException e) {
            return true; // refused whatever comes: fail it now, saying why
        } catch (IOException e) {
            return false;
        }
    }
}
