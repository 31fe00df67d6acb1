# Builds and installs vnetctl: the release binary, its templates, manual pages, shell completions
# and the libvirt network hook that applies port forwards (in libvirt's /etc, whatever PREFIX is).
#   make && make install [PREFIX=/usr/local] [DESTDIR=/staging]
#   make uninstall        removes exactly what make install put there (same PREFIX and DESTDIR)
#   make deb              builds vnetctl_VERSION_ARCH.deb with dpkg-deb (PREFIX=/usr)
#   make ansible-collection  builds the vnetctl.libvirt Ansible collection (needs ansible-galaxy)
PREFIX ?= /usr/local
DESTDIR ?=
BINDIR = $(PREFIX)/bin
DATADIR = $(PREFIX)/share/vnetctl
MANDIR = $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR ?= $(PREFIX)/share/zsh/site-functions
FISHCOMPDIR ?= $(PREFIX)/share/fish/vendor_completions.d
DOCDIR = $(PREFIX)/share/doc/vnetctl
HOOKDIR ?= /etc/libvirt/hooks/network.d

# RELEASE_SCRATCH: SwiftPM's folder for the release build (scripts/test.sh gives it one of its own).
RELEASE_SCRATCH ?= .build
SWIFT_RELEASE = swift build -c release --static-swift-stdlib --scratch-path $(RELEASE_SCRATCH)
BIN := $(shell $(SWIFT_RELEASE) --show-bin-path)
OUT = .build/dist
TEMPLATES = $(wildcard Sources/VNetCore/Templates/network/*.mustache Sources/VNetCore/Templates/domain/*.mustache)

.PHONY: all build man completions install uninstall deb ansible-collection clean-dist

all: build man completions

build:
	$(SWIFT_RELEASE) --product vnetctl
	$(SWIFT_RELEASE) --product generate-manual

man: build
	scripts/manuals.sh "$(BIN)/vnetctl" "$(BIN)/generate-manual" docs/man "$(OUT)/man"

completions: build
	mkdir -p $(OUT)/completions
	$(BIN)/vnetctl --generate-completion-script bash > $(OUT)/completions/vnetctl
	$(BIN)/vnetctl --generate-completion-script zsh > $(OUT)/completions/_vnetctl
	$(BIN)/vnetctl --generate-completion-script fish > $(OUT)/completions/vnetctl.fish

# install copies what `make` built; run `make` first (as any user), then `make install` (as root).
install:
	test -x $(BIN)/vnetctl && test -d $(OUT)/man && test -d $(OUT)/completions || { echo "run make first" >&2; exit 1; }
	install -D -m 0755 $(BIN)/vnetctl $(DESTDIR)$(BINDIR)/vnetctl
	for t in $(TEMPLATES); do install -D -m 0644 $$t $(DESTDIR)$(DATADIR)/templates/$${t#Sources/VNetCore/Templates/}; done
	for m in $(OUT)/man/*.1; do install -D -m 0644 $$m $(DESTDIR)$(MANDIR)/man1/$${m##*/}; done
	for m in $(OUT)/man/*.5; do install -D -m 0644 $$m $(DESTDIR)$(MANDIR)/man5/$${m##*/}; done
	install -D -m 0644 $(OUT)/completions/vnetctl $(DESTDIR)$(BASHCOMPDIR)/vnetctl
	install -D -m 0644 $(OUT)/completions/_vnetctl $(DESTDIR)$(ZSHCOMPDIR)/_vnetctl
	install -D -m 0644 $(OUT)/completions/vnetctl.fish $(DESTDIR)$(FISHCOMPDIR)/vnetctl.fish
	for d in README.md CHANGELOG.md LICENSE; do install -D -m 0644 $$d $(DESTDIR)$(DOCDIR)/$$d; done
	install -D -m 0644 examples/lab.yaml $(DESTDIR)$(DOCDIR)/examples/lab.yaml
	install -D -m 0644 examples/fleet.yaml $(DESTDIR)$(DOCDIR)/examples/fleet.yaml
	$(BIN)/vnetctl forwards install-hook --binary $(BINDIR)/vnetctl --path $(DESTDIR)$(HOOKDIR)/vnetctl

# Removes the files install puts, then each directory that is left empty, up to PREFIX and
# libvirt's /etc/libvirt (and, with DESTDIR, up to DESTDIR).
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/vnetctl
	for t in $(TEMPLATES); do rm -f $(DESTDIR)$(DATADIR)/templates/$${t#Sources/VNetCore/Templates/}; done
	rm -f $(DESTDIR)$(MANDIR)/man1/vnetctl.1 $(DESTDIR)$(MANDIR)/man1/vnetctl-*.1 $(DESTDIR)$(MANDIR)/man5/vnetctl-topology.5
	rm -f $(DESTDIR)$(BASHCOMPDIR)/vnetctl $(DESTDIR)$(ZSHCOMPDIR)/_vnetctl $(DESTDIR)$(FISHCOMPDIR)/vnetctl.fish
	rm -f $(DESTDIR)$(DOCDIR)/README.md $(DESTDIR)$(DOCDIR)/CHANGELOG.md $(DESTDIR)$(DOCDIR)/LICENSE $(DESTDIR)$(DOCDIR)/examples/lab.yaml $(DESTDIR)$(DOCDIR)/examples/fleet.yaml
	rm -f $(DESTDIR)$(HOOKDIR)/vnetctl
	d="$(DESTDIR)$(HOOKDIR)"; stop="$(patsubst %/,%,$(if $(DESTDIR),$(DESTDIR),$(dir $(patsubst %/,%,$(dir $(HOOKDIR))))))"; \
	while [ "$$d" != "$$stop" ] && [ -d "$$d" ] && rmdir "$$d" 2>/dev/null; do d=$${d%/*}; done
	for d in $(BINDIR) $(DATADIR)/templates/network $(DATADIR)/templates/domain $(DOCDIR)/examples \
	         $(MANDIR)/man1 $(MANDIR)/man5 $(BASHCOMPDIR) $(ZSHCOMPDIR) $(FISHCOMPDIR); do \
	    d="$(DESTDIR)$$d"; \
	    while [ "$$d" != "$(DESTDIR)$(PREFIX)" ] && [ -d "$$d" ] && rmdir "$$d" 2>/dev/null; do d=$${d%/*}; done; \
	done
	if [ -n "$(DESTDIR)" ]; then \
	    d="$(DESTDIR)$(PREFIX)"; \
	    while [ "$$d" != "$(patsubst %/,%,$(DESTDIR))" ] && [ -d "$$d" ] && rmdir "$$d" 2>/dev/null; do d=$${d%/*}; done; \
	fi

deb: all
	scripts/build-deb.sh "$(OUT)"

# The collection's module is the (stripped) binary itself, beside its sidecar documentation.
ansible-collection: build
	rm -rf $(OUT)/collection && mkdir -p $(OUT)/collection
	cp -r ansible/vnetctl/libvirt $(OUT)/collection/src
	install -m 0755 -s $(BIN)/vnetctl $(OUT)/collection/src/plugins/modules/topology
	ansible-galaxy collection build $(OUT)/collection/src --output-path $(OUT) --force

clean-dist:
	rm -rf $(OUT)
